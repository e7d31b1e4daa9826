/*
 * The disk floor of svirtctl's bench (not a test): rewrites each FILE given on the command line
 * durably, with no parsing and no journal. Every new content goes to a temp file in the same
 * directory; all temp files are written, then fsynced (by THREADS threads, so the file system can
 * batch the commits), then renamed over their targets, then each directory is fsynced once.
 * The new content is the old one with the first "flags=(attach_disconnected)" turned into
 * "flags=(attach_disconnected,complain)", as a switch to complain mode would write.
 *
 * usage: diskfloor THREADS FILE...
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **temps;
static int *fds;
static int count;
static int next_fd;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void die(const char *what, const char *path) {
  fprintf(stderr, "diskfloor: %s %s\n", what, path);
  exit(1);
}

static void *syncer(void *unused) {
  (void)unused;
  for (;;) {
    pthread_mutex_lock(&lock);
    int i = next_fd++;
    pthread_mutex_unlock(&lock);
    if (i >= count) return NULL;
    if (fsync(fds[i]) != 0) die("fsync", temps[i]);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: diskfloor THREADS FILE...\n");
    return 64;
  }
  int threads = atoi(argv[1]);
  count = argc - 2;
  temps = calloc(count, sizeof *temps);
  fds = calloc(count, sizeof *fds);
  static const char from[] = "flags=(attach_disconnected)";
  static const char to[] = "flags=(attach_disconnected,complain)";
  for (int i = 0; i < count; i++) {
    const char *path = argv[i + 2];
    int in = open(path, O_RDONLY);
    if (in < 0) die("open", path);
    struct stat st;
    fstat(in, &st);
    char *buf = malloc(st.st_size + sizeof to);
    ssize_t n = read(in, buf, st.st_size);
    close(in);
    if (n != st.st_size) die("read", path);
    buf[n] = 0;
    char *at = strstr(buf, from);
    size_t len = n;
    if (at) {
      size_t tail = n - (at - buf) - (sizeof from - 1);
      memmove(at + sizeof to - 1, at + sizeof from - 1, tail + 1);
      memcpy(at, to, sizeof to - 1);
      len = n + (sizeof to - sizeof from);
    }
    if (asprintf(&temps[i], "%s.floor-tmp", path) < 0) die("asprintf", path);
    fds[i] = open(temps[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fds[i] < 0) die("create", temps[i]);
    if (write(fds[i], buf, len) != (ssize_t)len) die("write", temps[i]);
    free(buf);
  }
  pthread_t *t = calloc(threads, sizeof *t);
  for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, syncer, NULL);
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  /* Files come grouped by directory: each directory is fsynced once, after all its renames. */
  for (int i = 0; i < count; i++) {
    close(fds[i]);
    if (rename(temps[i], argv[i + 2]) != 0) die("rename", temps[i]);
  }
  char *last_dir = NULL;
  for (int i = 0; i < count; i++) {
    char *copy = strdup(argv[i + 2]);
    char *dir = dirname(copy);
    if (last_dir == NULL || strcmp(last_dir, dir) != 0) {
      int d = open(dir, O_RDONLY | O_DIRECTORY);
      if (d < 0 || fsync(d) != 0) die("fsync directory", dir);
      close(d);
      free(last_dir);
      last_dir = strdup(dir);
    }
    free(copy);
  }
  free(last_dir);
  return 0;
}
