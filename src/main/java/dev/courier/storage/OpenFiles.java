package dev.courier.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The budget of open segment channels, shared by every log of a store: a segment opens its channel
 * on use, and once more than {@code capacity} are open the least recently used is closed. Closing
 * loses nothing: the written bytes are in the page cache, and a later force reopens the file
 * (fsync works on the file, not on the descriptor that wrote it).
 *
 * <p>Single-threaded like the logs it serves: recovery uses it before the storage thread starts,
 * then only the storage thread does.
 */
final class OpenFiles {

  /** How a channel is opened; a test replaces it to play an OS that refuses descriptors. */
  @FunctionalInterface
  interface Opener {
    FileChannel open(Path path, OpenOption... options) throws IOException;
  }

  /** Enough for a log opened on its own (tests, tools) to keep all it touches open. */
  static final int UNSHARED_CAPACITY = 64;

  private final int capacity;
  private final Opener opener;
  /** Open segments, least recently used first. */
  private final LinkedHashMap<Segment, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);
  private int mostOpen;

  OpenFiles(int capacity) {
    this(capacity, FileChannel::open);
  }

  OpenFiles(int capacity, Opener opener) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.opener = opener;
  }

  /** Opens a segment's channel and makes room for it, closing the least recently used. */
  FileChannel openFor(Segment segment, OpenOption... options) throws IOException {
    FileChannel channel = open(segment.path, options);
    open.put(segment, Boolean.TRUE);
    for (Iterator<Map.Entry<Segment, Boolean>> it = open.entrySet().iterator(); open.size() > capacity; ) {
      Segment eldest = it.next().getKey();
      it.remove();
      eldest.release();
    }
    mostOpen = Math.max(mostOpen, open.size());
    return channel;
  }

  /** Marks a segment's channel as just used. */
  void used(Segment segment) {
    open.get(segment);
  }

  /** The segment closed its channel itself. */
  void closed(Segment segment) {
    open.remove(segment);
  }

  /**
   * Opens a file outside the budget for a moment (a header check, a new segment's first write).
   * When the OS refuses for lack of descriptors, one of ours is given back and the open retried
   * once; if it still fails the error says what to do.
   */
  FileChannel open(Path path, OpenOption... options) throws IOException {
    try {
      return opener.open(path, options);
    } catch (FileSystemException e) {
      if (!isOutOfDescriptors(e)) {
        throw e;
      }
      if (!open.isEmpty()) {
        Segment eldest = open.keySet().iterator().next();
        open.remove(eldest);
        eldest.release();
        try {
          return opener.open(path, options);
        } catch (FileSystemException again) {
          if (!isOutOfDescriptors(again)) {
            throw again;
          }
        }
      }
      throw new IOException("too many open files: raise the process limit (ulimit -n) or lower max_open_files ("
          + capacity + "); cannot open " + path, e);
    }
  }

  /** EMFILE (this process) or ENFILE (the whole system); Java reports both only by message. */
  private static boolean isOutOfDescriptors(FileSystemException e) {
    String reason = e.getReason();
    return reason != null && (reason.contains("Too many open files") || reason.contains("too many open files"));
  }

  /** Segment channels open now. */
  int openCount() {
    return open.size();
  }

  /** The most segment channels ever open at once, for tests. */
  int mostOpen() {
    return mostOpen;
  }

  int capacity() {
    return capacity;
  }

  @Override
  public String toString() {
    return open.size() + "/" + capacity + " open";
  }
}
