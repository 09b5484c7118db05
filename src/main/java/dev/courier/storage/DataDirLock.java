package dev.courier.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One broker per data folder: an exclusive OS lock on {@code data_dir/courier.lock}, taken before
 * anything in the folder is read or written and held until the storage is closed. Two brokers on
 * one folder would both confirm publishes into the same logs and lose each other's messages.
 *
 * <p>The lock is the OS's ({@link FileChannel#tryLock}), not the file's existence: the OS drops it
 * when the process dies, so a lock file left behind by {@code kill -9} never blocks a start. The
 * file holds the owner's pid and start time only so that a refused broker can say who holds it.
 */
public final class DataDirLock implements AutoCloseable {
  static final String FILE_NAME = "courier.lock";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dataDir} (created if missing). Blocking: call off any event loop.
   *
   * @throws InUseException if another process (or another broker in this JVM) holds it
   */
  public static DataDirLock acquire(Path dataDir) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another broker in this same JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = readHolder(channel);
      channel.close();
      throw new InUseException(dir, holder);
    }
    try {
      ProcessHandle self = ProcessHandle.current();
      String started = self.info().startInstant().orElse(Instant.now()).toString();
      ByteBuffer owner = ByteBuffer.wrap(("pid=" + self.pid() + " started=" + started + "\n")
          .getBytes(StandardCharsets.UTF_8));
      channel.truncate(0);
      while (owner.hasRemaining()) {
        channel.write(owner, owner.position());
      }
      channel.force(false);
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new DataDirLock(dir, channel, lock);
  }

  /** The locked folder, absolute. */
  public Path dir() {
    return dir;
  }

  /** Releases the lock. The file stays: deleting it could race with the next broker's open. */
  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }

  /** What the holder wrote ("pid=1234 started=..."), or a placeholder while it is still writing. */
  private static String readHolder(FileChannel channel) {
    try {
      ByteBuffer bytes = ByteBuffer.allocate(256);
      channel.read(bytes, 0);
      String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? "pid unknown" : text;
    } catch (IOException e) {
      return "pid unknown: " + e.getMessage();
    }
  }

  /** The data folder is locked by someone else; the message says by whom and what to do. */
  public static final class InUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InUseException(Path dir, String holder) {
      super("data_dir " + dir + " is in use by another Courier broker ("
          + holder.replace("pid=", "pid ").replace(" started=", ", started ") + "); stop it or use another data_dir");
    }
  }
}
