package dev.courier.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small file replaced whole, so that a crash leaves either the old content or the new one, never
 * a mix: written and forced under {@code <name>.tmp}, renamed over the file, then the directory
 * forced so that the rename itself survives a power cut. Used for the checkpoint, the ids file and
 * the header of a new segment; the first two are read back whole.
 */
final class AtomicFile {
  private static final Logger log = LoggerFactory.getLogger(AtomicFile.class);

  private AtomicFile() {
  }

  /** Replaces {@code file} by {@code content}, opening files with the JDK's own opener. */
  static void write(Path file, ByteBuffer content) throws IOException {
    write(file, content, FileChannel::open);
  }

  /** The same, opening through {@code opener} (a store's budget of open files). */
  static void write(Path file, ByteBuffer content, OpenFiles.Opener opener) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = opener.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (content.hasRemaining()) {
        channel.write(content);
      }
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(file.getParent(), opener);
  }

  /** The whole content of {@code file}, or null when there is none (not written yet). */
  static byte[] readIfPresent(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Makes file creations and renames in {@code dir} durable, where the platform allows it. */
  static void forceDirectory(Path dir) {
    forceDirectory(dir, FileChannel::open);
  }

  static void forceDirectory(Path dir, OpenFiles.Opener opener) {
    try (FileChannel directory = opener.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UnsupportedOperationException unsupported) {
      // Windows cannot open a directory as a channel (NTFS journals the metadata instead), and some
      // file systems cannot force one: the rename is then as durable as they allow.
      log.debug("Cannot sync directory {}: {}", dir, unsupported.toString());
    }
  }
}
