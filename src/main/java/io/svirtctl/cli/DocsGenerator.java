package io.svirtctl.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Build-time generator of the man pages ({@code man/svirtctl*.1.gz}) and the bash completion
 * ({@code completion/svirtctl}) from the command tree; the Debian package ships both. Run by
 * Maven in {@code prepare-package}, never by svirtctl itself.
 */
public final class DocsGenerator {

  private DocsGenerator() {}

  /**
   * Writes the documents.
   *
   * @param args the output directory and the version to print in the pages
   */
  public static void main(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: DocsGenerator OUTPUT_DIR VERSION");
    }
    generate(Path.of(args[0]), args[1]);
  }

  static void generate(Path outDir, String version) {
    CommandLine root =
        Main.commandLine(
            new CliContext(
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()),
                Map.of()));
    try {
      Path man = Files.createDirectories(outDir.resolve("man"));
      Deque<CommandLine> todo = new ArrayDeque<>();
      todo.add(root);
      while (!todo.isEmpty()) {
        CommandLine cmd = todo.poll();
        ManPage page = new ManPage(cmd.getCommandSpec(), version);
        writeGzip(man.resolve(page.name() + ".1.gz"), page.render());
        todo.addAll(cmd.getSubcommands().values());
      }
      Path completion = Files.createDirectories(outDir.resolve("completion"));
      // Sourced by bash-completion, never run: no interpreter line.
      Files.writeString(
          completion.resolve("svirtctl"),
          AutoComplete.bash("svirtctl", root).replaceFirst("\\A#![^\n]*\n", ""),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code text} as {@code gzip -9n} does (Debian policy for man pages): best compression,
   * flagged as such in the header, no file name and no time stamp, so builds are reproducible.
   */
  static void writeGzip(Path file, String text) throws IOException {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try (OutputStream out = Files.newOutputStream(file)) {
      // Magic, deflate, no flags, mtime 0, XFL 2 (maximum compression), OS 3 (Unix).
      out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
      deflater.setInput(data);
      deflater.finish();
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      CRC32 crc = new CRC32();
      crc.update(data);
      out.write(littleEndian((int) crc.getValue()));
      out.write(littleEndian(data.length));
    } finally {
      deflater.end();
    }
  }

  private static byte[] littleEndian(int value) {
    return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
  }
}
