package dev.courier.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The directory of one log: creates segment files so that a crash never leaves half a header. */
final class SegmentDirectory {

  private static final Logger log = LoggerFactory.getLogger(SegmentDirectory.class);

  private final Path dir;
  private final OpenFiles files;

  SegmentDirectory(Path dir, OpenFiles files) {
    this.dir = dir;
    this.files = files;
  }

  /**
   * Creates a segment holding only its header, atomically (see {@link AtomicFile}), so a crash
   * leaves either no file or a whole header. The files are opened through the store's budget.
   */
  Segment createSegment(long firstId) throws IOException {
    Path path = dir.resolve(SegmentFormat.fileName(firstId));
    if (Files.exists(path)) {
      moveAside(path);
    }
    AtomicFile.write(path, SegmentFormat.header(), files::open);
    return new Segment(path, firstId, SegmentFormat.HEADER_BYTES, files);
  }

  /** A file recovery ignored (bad header) has the name we need: keep it, under another name. */
  private static void moveAside(Path path) throws IOException {
    Path aside = path.resolveSibling(path.getFileName() + ".damaged");
    for (int n = 1; Files.exists(aside); n++) {
      aside = path.resolveSibling(path.getFileName() + ".damaged." + n);
    }
    log.warn("Renaming damaged {} to {} to make room for a new segment", path, aside.getFileName());
    Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
  }
}
