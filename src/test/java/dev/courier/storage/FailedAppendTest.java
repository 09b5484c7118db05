package dev.courier.storage;

import static dev.courier.storage.LogFiles.records;
import static dev.courier.storage.LogFiles.scanIds;
import static dev.courier.storage.LogFiles.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails half-way (disk full, I/O error) must leave no partial record behind. */
class FailedAppendTest {

  private static final long SMALL_SEGMENT = 256;

  @TempDir
  Path dir;

  /** Writes for real until armed; then the next write puts half its bytes down and fails. */
  private static final class FailingWriter implements PositionalWriter {
    final IOException failure = new IOException("disk full (simulated)");
    int writesBeforeFailure = -1;

    @Override
    public int write(FileChannel channel, ByteBuffer source, long position) throws IOException {
      if (writesBeforeFailure == 0) {
        writesBeforeFailure = -1;
        ByteBuffer half = source.duplicate();
        half.limit(half.position() + half.remaining() / 2);
        channel.write(half, position);
        throw failure;
      }
      if (writesBeforeFailure > 0) {
        writesBeforeFailure--;
      }
      return channel.write(source, position);
    }
  }

  @Test
  void aFailedWriteIsCutBackOutOfTheSegment() throws IOException {
    FailingWriter writer = new FailingWriter();
    try (SegmentedLog log = SegmentedLog.open(dir, 1 << 20, writer)) {
      log.append(records(1, 5));
      long size = log.sizeBytes();
      writer.writesBeforeFailure = 0;
      IOException thrown = assertThrows(IOException.class, () -> log.append(records(6, 10)));
      assertSame(writer.failure, thrown);
      assertEquals(size, log.sizeBytes());
      assertEquals(size, Files.size(segmentFiles(dir).get(0)));
      assertEquals(5, log.lastId());

      log.append(records(6, 10));
      assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), scanIds(log));
    }
    assertReopensCleanWith(10);
  }

  @Test
  void aBatchFailingInItsSecondSegmentLeavesNeitherSegmentChanged() throws IOException {
    FailingWriter writer = new FailingWriter();
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT, writer)) {
      log.append(records(1, 3));
      List<Path> filesBefore = segmentFiles(dir);
      long size = log.sizeBytes();
      writer.writesBeforeFailure = 1; // the first segment's write succeeds, the second's fails
      assertThrows(IOException.class, () -> log.append(records(4, 20)));
      assertEquals(filesBefore, segmentFiles(dir));
      assertEquals(size, log.sizeBytes());
      assertEquals(size, Files.size(filesBefore.get(0)));
      assertEquals(3, log.lastId());
      assertEquals(1, log.segments().size());

      log.append(records(4, 20));
      assertTrue(log.segments().size() > 1);
      assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), scanIds(log));
    }
    assertReopensCleanWith(20);
  }

  private void assertReopensCleanWith(long lastId) throws IOException {
    try (SegmentedLog log = SegmentedLog.open(dir, SMALL_SEGMENT)) {
      assertTrue(log.recoveryReport().isClean(), log.recoveryReport().problems().toString());
      assertEquals(lastId, log.lastId());
    }
  }
}
