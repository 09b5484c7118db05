package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A topic whose files were deleted or damaged while the broker was down (issue 8 item 8). */
class DamagedTopicTest {
  /** A few records per segment, so that ten messages make several segments. */
  private static final long SEGMENT_BYTES = 200;

  @TempDir
  Path dataDir;

  private final ListAppender<ILoggingEvent> recoveryLog = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(TopicRecovery.class);

  @BeforeEach
  void captureLog() {
    recoveryLog.start();
    logger.addAppender(recoveryLog);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(recoveryLog);
  }

  private MessageStore open() {
    return new MessageStore(new StorageOptions(dataDir, FsyncMode.ALWAYS, 100, SEGMENT_BYTES, 0, 0, 0, 1 << 20, 1024),
        Runnable::run);
  }

  private Path messages() {
    return dataDir.resolve("topics/t/messages");
  }

  /** Publishes one at a time (each its own batch) and returns the ids storage gave. */
  private static List<Long> append(MessageStore store, int count) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CompletableFuture<Long> stored = new CompletableFuture<>();
      store.append("t", "payload-" + i, null, Map.of(), false, new AppendCallback() {
        @Override
        public void stored(long id, long timestampMillis) {
          stored.complete(id);
        }

        @Override
        public void failed(String reason) {
          stored.completeExceptionally(new IOException(reason));
        }
      });
      ids.add(stored.get(10, TimeUnit.SECONDS));
    }
    return ids;
  }

  private RecoveredTopic recoverTopic(MessageStore store) throws IOException {
    return store.recover().stream().filter(t -> t.name().equals("t")).findFirst().orElseThrow();
  }

  private List<String> warnings() {
    return recoveryLog.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Ten messages in several segments, a group created at 1 that acked none; then stopped. */
  private void tenMessagesThenStop() throws Exception {
    MessageStore store = open();
    store.recover();
    store.start();
    store.journal("t", new GroupEvent.GroupCreated("g", 1));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), append(store, 10));
    store.close();
    assertTrue(LogFiles.segmentFiles(messages()).size() >= 3, "several segments: " + LogFiles.segmentFiles(messages()));
  }

  @Test
  void aDeletedLastSegmentNeverLetsItsIdsBeGivenAgain() throws Exception {
    tenMessagesThenStop();
    List<Path> segments = LogFiles.segmentFiles(messages());
    Path last = segments.get(segments.size() - 1);
    Files.delete(last);

    MessageStore store = open();
    RecoveredTopic topic = recoverTopic(store);
    assertTrue(topic.nextId() > 10, "next id " + topic.nextId() + " would reuse an id of the deleted segment");
    String warning = warnings().stream().filter(w -> w.contains("newest message segment")).findFirst().orElseThrow();
    assertTrue(warning.contains(last.getFileName() + " is missing"), warning);
    assertTrue(warning.contains("groups [g] had not acked them all"), warning);
    store.start();
    List<Long> next = append(store, 2);
    assertEquals(List.of(topic.nextId(), topic.nextId() + 1), next);
    store.close();

    // Reported once: the next start continues after what it wrote, without a new jump or warning.
    recoveryLog.list.clear();
    MessageStore again = open();
    assertEquals(topic.nextId() + 2, recoverTopic(again).nextId());
    assertEquals(List.of(), warnings());
    again.close();
  }

  @Test
  void aLostTailSkippedWithoutPublishingAfterwardsStaysSkippedAtTheNextStart() throws Exception {
    tenMessagesThenStop();
    List<Path> segments = LogFiles.segmentFiles(messages());
    Files.delete(segments.get(segments.size() - 1));
    MessageStore store = open();
    long next = recoverTopic(store).nextId();
    store.close();
    MessageStore again = open();
    assertEquals(next, recoverTopic(again).nextId(), "the ids of the lost tail are still not reused");
    again.close();
  }

  @Test
  void anIntactLogContinuesRightAfterItsLastIdDespiteTheReservationAhead() throws Exception {
    tenMessagesThenStop();
    MessageStore store = open();
    assertEquals(11, recoverTopic(store).nextId());
    assertEquals(List.of(), warnings());
    store.close();
  }

  @Test
  void aDeletedMiddleSegmentIsReportedWithItsIdsAndTheGroupsThatLoseThem() throws Exception {
    tenMessagesThenStop();
    List<Path> segments = LogFiles.segmentFiles(messages());
    Path middle = segments.get(1);
    long first = SegmentFormat.firstIdOf(middle.getFileName().toString());
    long after = SegmentFormat.firstIdOf(segments.get(2).getFileName().toString());
    Files.delete(middle);

    MessageStore store = open();
    RecoveredTopic topic = recoverTopic(store);
    assertEquals(11, topic.nextId());
    String warning = warnings().stream().filter(w -> w.contains("are lost")).findFirst().orElseThrow();
    assertTrue(warning.startsWith("topic=t messages msg=" + first + " to msg=" + (after - 1) + " ("
        + (after - first) + " ids) are lost: no segment between " + segments.get(0) + " and " + segments.get(2)),
        warning);
    assertTrue(warning.contains("groups [g] had not acked them and will never receive them"), warning);
    assertTrue(topic.messages().stream().noneMatch(m -> m.id() >= first && m.id() < after));
    store.close();
  }

  @Test
  void aDamagedIdsFileRefusesTheStartNamingItAndHowToProceed() throws Exception {
    tenMessagesThenStop();
    Path ids = dataDir.resolve("topics/t/ids");
    byte[] bytes = Files.readAllBytes(ids);
    bytes[bytes.length - 1] ^= 0x40;
    Files.write(ids, bytes);
    DamagedFileException refused = assertThrows(DamagedFileException.class, () -> open().recover());
    assertTrue(refused.getMessage().startsWith(ids.toAbsolutePath() + " fails its CRC32C check."), refused.getMessage());
    assertTrue(refused.getMessage().contains("To start anyway, move it away"), refused.getMessage());

    Files.move(ids, dataDir.resolve("ids.damaged"));
    MessageStore store = open();
    assertEquals(11, recoverTopic(store).nextId(), "without the file, ids continue after the log");
    store.close();
  }

  @Test
  void anEmptyCheckpointRefusesTheStartNamingTheTopicsFile() throws Exception {
    tenMessagesThenStop();
    Path checkpoint = dataDir.resolve("topics/t/checkpoint");
    Files.write(checkpoint, new byte[0]);
    DamagedFileException refused = assertThrows(DamagedFileException.class, () -> open().recover());
    assertTrue(refused.getMessage().startsWith(checkpoint.toAbsolutePath() + " is empty (0 bytes)."),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("every group of topic t is then forgotten"), refused.getMessage());
  }
}
