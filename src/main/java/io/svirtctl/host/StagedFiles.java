package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Temp files of {@link AtomicFileWriter#stageAll}, synced, waiting to be renamed over their
 * targets in order; closing drops those not renamed.
 */
public final class StagedFiles implements AutoCloseable {

  private final List<AtomicFileWriter.Replacement> targets;
  private final CrashSeam seam;
  final Path[] temps;
  private final List<Path> renamed = new ArrayList<>();

  StagedFiles(List<AtomicFileWriter.Replacement> targets, CrashSeam seam) {
    this.targets = targets;
    this.seam = seam;
    this.temps = new Path[targets.size()];
  }

  /**
   * Renames every temp file over its target in order, then syncs each directory once.
   *
   * @throws OperationFailedException naming the path of the first rename or sync that fails
   */
  public void commit() {
    commit(target -> {});
  }

  /**
   * As {@link #commit()}, calling {@code beforeRename} with each target right before its rename;
   * whatever it throws stops the commit there, that target and the later ones not renamed (see
   * {@link #renamed()}).
   */
  public void commit(Consumer<Path> beforeRename) {
    Set<Path> dirs = new LinkedHashSet<>();
    for (int i = 0; i < temps.length; i++) {
      Path abs = targets.get(i).target();
      beforeRename.accept(abs);
      try {
        move(temps[i], abs);
      } catch (IOException e) {
        throw new OperationFailedException("cannot write " + abs + ": " + DurableFiles.reason(e), e);
      }
      temps[i] = null;
      renamed.add(abs);
      seam.fileOperationDone();
      dirs.add(abs.getParent());
    }
    for (Path dir : dirs) {
      try {
        DurableFiles.forceDirectory(dir);
      } catch (IOException e) {
        throw new OperationFailedException(
            "cannot sync directory " + dir + ": " + DurableFiles.reason(e), e);
      }
      seam.fileOperationDone();
    }
  }

  /** The targets renamed so far, in order (all of them once {@link #commit} returned). */
  public List<Path> renamed() {
    return List.copyOf(renamed);
  }

  /** Deletes the temp files not renamed. */
  @Override
  public void close() {
    for (int i = 0; i < temps.length; i++) {
      TempFile.deleteQuietly(temps[i]);
      temps[i] = null;
    }
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename atomically", e);
    }
  }
}
