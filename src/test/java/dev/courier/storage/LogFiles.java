package dev.courier.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers: records with recognisable bodies, and byte surgery on segment files. */
final class LogFiles {

  static final int HEADER = SegmentFormat.HEADER_BYTES;

  private LogFiles() {
  }

  /** Records {@code from..to} inclusive; body sizes vary with the id so positions are not regular. */
  static List<LogRecord> records(long from, long to) {
    List<LogRecord> records = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      records.add(record(id));
    }
    return records;
  }

  static LogRecord record(long id) {
    return new LogRecord(id, (byte) 1, body(id));
  }

  static byte[] body(long id) {
    return ("record-" + id + "-" + "x".repeat((int) (id % 13))).getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes a record takes on disk. */
  static int onDisk(LogRecord record) {
    return 8 + 9 + record.body().length;
  }

  static List<Long> ids(List<LogRecord> records) {
    return records.stream().map(LogRecord::id).toList();
  }

  static List<Long> scanIds(SegmentedLog log) throws IOException {
    List<Long> ids = new ArrayList<>();
    log.scan(record -> ids.add(record.id()));
    return ids;
  }

  static List<Path> segmentFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".seg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void flipByte(Path file, long position) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
      channel.write(one, position);
    }
  }

  static void putInt(Path file, long position, int value) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).putInt(0, value), position);
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }
}
