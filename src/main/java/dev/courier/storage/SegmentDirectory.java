package dev.courier.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
   * Creates a segment holding only its header, atomically: written and synced under a temporary
   * name, renamed, then the directory synced, so a crash leaves either no file or a whole header.
   */
  Segment createSegment(long firstId) throws IOException {
    Path path = dir.resolve(SegmentFormat.fileName(firstId));
    Path temp = dir.resolve(path.getFileName() + ".tmp");
    try (FileChannel channel = files.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer header = SegmentFormat.header();
      while (header.hasRemaining()) {
        channel.write(header);
      }
      channel.force(true);
    }
    if (Files.exists(path)) {
      moveAside(path);
    }
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory();
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

  /** Makes file creations and renames in the directory durable, where the platform allows it. */
  void forceDirectory() throws IOException {
    try (FileChannel directory = files.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UnsupportedOperationException unsupported) {
      // Windows cannot open a directory as a channel; NTFS journals the metadata instead.
      log.debug("Cannot sync directory {}: {}", dir, unsupported.toString());
    }
  }
}
