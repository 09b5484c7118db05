package dev.courier.storage;

import java.util.Set;

import dev.courier.core.GroupPosition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The storage thread as a whole: its budget of open files, the disk limit, and what it does when
 * the disk or the thread itself fails. Driven directly, without a broker; the "owner loop" is one
 * thread, as in the broker.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageStoreTest {
  private static final int SMALL_BUDGET = 4;
  private static final long SMALL_SEGMENT = 4096;

  @TempDir
  Path dataDir;

  private final ExecutorService ownerLoop = Executors.newSingleThreadExecutor();
  private final List<MessageStore> opened = new ArrayList<>();
  private ListAppender<ILoggingEvent> captured;

  /** The outcome of one append: the id it got, or why it was refused. */
  private record Outcome(long id, String refusal) {
    boolean isStored() {
      return refusal == null;
    }
  }

  @AfterEach
  void closeEverything() throws InterruptedException {
    for (MessageStore store : opened) {
      store.close();
    }
    ownerLoop.shutdownNow();
  }

  private StorageOptions options(long maxDiskBytes, int maxOpenFiles) {
    return new StorageOptions(dataDir, FsyncMode.ALWAYS, 100, SMALL_SEGMENT, 0, 0, maxDiskBytes, 1 << 20,
        maxOpenFiles);
  }

  private MessageStore start(MessageStore store) throws IOException {
    opened.add(store);
    store.recover();
    store.start();
    return store;
  }

  private static CompletableFuture<Outcome> append(MessageStore store, String topic, String payload) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    store.append(topic, payload, null, Map.of(), false, new AppendCallback() {
      @Override
      public void stored(long id, long timestampMillis) {
        outcome.complete(new Outcome(id, null));
      }

      @Override
      public void failed(String reason) {
        outcome.complete(new Outcome(-1, reason));
      }
    });
    return outcome;
  }

  private static List<StoredMessage> history(MessageStore store, String topic) {
    CompletableFuture<List<StoredMessage>> read = new CompletableFuture<>();
    store.history(topic, 1, 100, Long.MAX_VALUE, read::complete);
    return read.join();
  }

  private static int recordBytes(String payload) {
    return SegmentFormat.encodedBytes(RecordCodec.encode(new StoredMessage(1, 0, null, Map.of(), false, payload)));
  }

  // ---- checkpoints ----

  @Test
  void aCheckpointCoversOnlyTheGroupEventsQueuedBeforeItEvenInTheSameBatch() throws Exception {
    MessageStore store = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(store);
    store.recover();
    // Queued before the writer starts, so that one group commit takes them all, in this order.
    CompletableFuture<Outcome> first = append(store, "t", "one");
    CompletableFuture<Outcome> second = append(store, "t", "two");
    store.journal("t", new GroupEvent.GroupCreated("g", 1));
    store.journal("t", new GroupEvent.Acked("g", 1));
    // The positions of the moment: 1 acked, 2 delivered and in flight.
    store.checkpoint("t", List.of(new GroupPosition("g", 3, List.of(new GroupPosition.PendingDelivery(2, 1)), Set.of())));
    store.journal("t", new GroupEvent.Acked("g", 2));
    store.start();
    assertEquals(new Outcome(1, null), first.join());
    assertEquals(new Outcome(2, null), second.join());
    store.close();

    MessageStore restarted = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(restarted);
    RecoveredTopic topic = restarted.recover().get(0);
    assertEquals(List.of(), topic.messages(), "both acks survive: nothing is delivered again");
  }

  @Test
  void aGroupsSettingsAndADelayedRequeueComeBackFromTheJournalAlone() throws Exception {
    MessageStore store = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(store);
    store.recover();
    CompletableFuture<Outcome> first = append(store, "t", "one");
    store.journal("t", new GroupEvent.GroupCreated("g", 1, 3, "parked"));
    store.journal("t", new GroupEvent.Requeued("g", 1, 2, 1_700_000_009_000L));
    store.start();
    assertEquals(new Outcome(1, null), first.join());
    store.close();

    MessageStore restarted = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(restarted);
    GroupPosition position = restarted.recover().get(0).topic().groups().get(0);
    assertEquals(new dev.courier.core.GroupSettings(3, "parked"), position.settings());
    assertEquals(List.of(new GroupPosition.PendingDelivery(1, 2, 1_700_000_009_000L)), position.pending());
  }

  @Test
  void recoveryHandsBackTheDedupIdsOfAckedAndPendingMessagesStillOnDiskWithTheirStoreTimes() throws Exception {
    MessageStore store = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(store);
    store.recover();
    CompletableFuture<Long> keyed = new CompletableFuture<>();
    CompletableFuture<Long> pending = new CompletableFuture<>();
    store.append("t", "acked", null, Map.of(), false, "first", 0, storedAt(keyed));
    CompletableFuture<Outcome> plain = append(store, "t", "plain");
    store.append("t", "still pending", null, Map.of(), false, "second", 0, storedAt(pending));
    store.journal("t", new GroupEvent.GroupCreated("g", 1));
    // 1 and 2 acked: recovery reads messages only from 3 on, and the dedup ids below it from the log as well.
    store.checkpoint("t", List.of(new GroupPosition("g", 3, List.of(), Set.of())));
    store.start();
    long firstStoredAt = keyed.join();
    long secondStoredAt = pending.join();
    assertEquals(2, plain.join().id());
    store.close();

    MessageStore restarted = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(restarted);
    RecoveredTopic topic = restarted.recover().get(0);
    assertEquals(List.of(new dev.courier.core.DedupKey("first", 1, firstStoredAt),
        new dev.courier.core.DedupKey("second", 3, secondStoredAt)), topic.topic().dedupKeys());
    assertEquals(List.of("still pending"), topic.messages().stream().map(m -> m.payload()).toList());
  }

  @Test
  void theCheckpointKeepsTheDedupWindowOfMessagesWhoseSegmentsRetentionDeleted() throws Exception {
    MessageStore store = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop));
    CompletableFuture<Long> keyed = new CompletableFuture<>();
    String big = "x".repeat((int) SMALL_SEGMENT - 100); // one message a segment
    store.append("t", big, null, Map.of(), false, "order-7", 0, storedAt(keyed));
    long storedAt = keyed.join();
    assertEquals(2, append(store, "t", big).join().id());
    assertEquals(3, append(store, "t", big).join().id());
    store.journal("t", new GroupEvent.GroupCreated("g", 1));
    List<dev.courier.core.DedupKey> window = List.of(new dev.courier.core.DedupKey("order-7", 1, storedAt));
    store.checkpoint("t", List.of(new GroupPosition("g", 3, List.of(), Set.of())), window);
    CompletableFuture<Long> storedFrom = new CompletableFuture<>();
    store.retain(Map.of("t", 3L), (topic, from) -> storedFrom.complete(from));
    assertEquals(3L, storedFrom.join(), "the segments of 1 and 2 are deleted");
    store.close();

    MessageStore restarted = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(restarted);
    assertEquals(window, restarted.recover().get(0).topic().dedupKeys());
  }

  @Test
  void aGroupDeletedAfterTheCheckpointStaysDeletedFromTheJournalAlone() throws Exception {
    MessageStore store = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(store);
    store.recover();
    CompletableFuture<Outcome> first = append(store, "t", "one");
    store.journal("t", new GroupEvent.GroupCreated("g", 1, 3, "parked"));
    store.journal("t", new GroupEvent.GroupCreated("h", 1));
    store.checkpoint("t", List.of(new GroupPosition("g", 1, List.of(), Set.of()),
        new GroupPosition("h", 1, List.of(), Set.of())));
    store.journal("t", new GroupEvent.Requeued("g", 1, 2));
    store.journal("t", new GroupEvent.GroupDeleted("g"));
    store.start();
    assertEquals(new Outcome(1, null), first.join());
    store.close();

    MessageStore restarted = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(restarted);
    List<GroupPosition> groups = restarted.recover().get(0).topic().groups();
    assertEquals(List.of("h"), groups.stream().map(GroupPosition::group).toList(), "g is gone, h kept");
  }

  private static AppendCallback storedAt(CompletableFuture<Long> timestamp) {
    return new AppendCallback() {
      @Override
      public void stored(long id, long timestampMillis) {
        timestamp.complete(timestampMillis);
      }

      @Override
      public void failed(String reason) {
        timestamp.completeExceptionally(new AssertionError(reason));
      }
    };
  }

  // ---- the order of outcomes (docs/STORAGE.md, "Order of outcomes") ----

  @Test
  void oneBatchAnswersTopicByTopicInTheOrderTopicsFirstAppearAndEachTopicInSubmissionOrder() throws Exception {
    MessageStore store = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(store);
    store.recover();
    List<String> answered = Collections.synchronizedList(new ArrayList<>());
    // Queued before the writer starts, so that one group commit takes them all: b appears first
    // (through a group event), so a's earlier publishes are answered after b's.
    store.journal("b", new GroupEvent.GroupCreated("g", 1));
    appendRecording(store, "a", "a1", answered);
    appendRecording(store, "b", "b1", answered);
    CompletableFuture<Outcome> last = appendRecording(store, "a", "a2", answered);
    appendRecording(store, "b", "b2", answered);
    store.start();
    assertEquals(new Outcome(2, null), last.join());
    assertEquals(List.of("b1 stored as 1", "b2 stored as 2", "a1 stored as 1", "a2 stored as 2"),
        List.copyOf(answered));
  }

  /** An append whose outcome is added to {@code answered} before the returned future completes. */
  private static CompletableFuture<Outcome> appendRecording(MessageStore store, String topic, String payload,
      List<String> answered) {
    return append(store, topic, payload).thenApply(outcome -> {
      answered.add(payload + (outcome.isStored() ? " stored as " + outcome.id() : " failed"));
      return outcome;
    });
  }

  // ---- open files ----

  @Test
  void fiftyTopicsAreWrittenReadAndRecoveredWithinABudgetOfFourOpenFiles() throws Exception {
    int topics = 50;
    MessageStore store = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop));
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      for (int t = 0; t < topics; t++) {
        outcomes.add(append(store, "t" + t, "m" + round + "-t" + t));
        if (round == 1) {
          store.journal("t" + t, new GroupEvent.GroupCreated("g", 1));
        }
      }
    }
    outcomes.forEach(outcome -> assertTrue(outcome.join().isStored(), outcome.join().refusal()));
    for (int t = 0; t < topics; t++) {
      assertEquals(List.of("m1-t" + t, "m2-t" + t, "m3-t" + t),
          history(store, "t" + t).stream().map(StoredMessage::payload).toList());
    }
    store.close();
    assertTrue(store.openFiles().mostOpen() <= SMALL_BUDGET, "at most " + store.openFiles().mostOpen());
    assertEquals(0, store.openFiles().openCount());

    MessageStore again = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(again);
    List<RecoveredTopic> recovered = again.recover();
    assertEquals(topics, recovered.size());
    for (RecoveredTopic topic : recovered) {
      String t = topic.name();
      assertEquals(List.of("m1-" + t, "m2-" + t, "m3-" + t), topic.messages().stream().map(m -> m.payload()).toList());
      assertEquals(List.of("g"), topic.groups().stream().map(g -> g.group()).toList());
    }
    assertTrue(again.openFiles().mostOpen() <= SMALL_BUDGET, "recovery had " + again.openFiles().mostOpen() + " open");
    again.start();
    for (int t = 0; t < topics; t++) {
      assertEquals(new Outcome(4, null), append(again, "t" + t, "after").join());
    }
  }

  @Test
  void aTopicTheOsRefusesFilesForIsRefusedClearlyWhileOthersWorkAndALaterStartRecoversIt() throws Exception {
    OpenFiles.Opener noDescriptorsForOne = (path, openOptions) -> {
      if (path.toString().contains("/topics/starved/")) {
        throw new FileSystemException(path.toString(), null, "Too many open files");
      }
      return FileChannel.open(path, openOptions);
    };
    MessageStore store = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop,
        new OpenFiles(SMALL_BUDGET, noDescriptorsForOne), PositionalWriter.FILE_CHANNEL));
    assertEquals(new Outcome(1, null), append(store, "fed", "one").join());
    Outcome refused = append(store, "starved", "two").join();
    assertFalse(refused.isStored());
    assertTrue(refused.refusal().startsWith("storage unavailable: too many open files: raise the process limit"),
        refused.refusal());
    assertEquals(new Outcome(2, null), append(store, "fed", "three").join());
    store.close();

    MessageStore restarted = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop));
    assertEquals(new Outcome(1, null), append(restarted, "starved", "two again").join());
    assertEquals(List.of("one", "three"), history(restarted, "fed").stream().map(StoredMessage::payload).toList());
  }

  // ---- the disk limit ----

  @Test
  void pipelinedPublishesAreAcceptedUntilWithinOneRecordOfTheDiskLimitThenAllRefused() throws Exception {
    String payload = "x".repeat(100);
    int record = recordBytes(payload);
    long limit = 3 * SMALL_SEGMENT + 1234; // several segments, so their headers count too
    MessageStore store = start(new MessageStore(options(limit, 64), ownerLoop));
    Map<String, List<CompletableFuture<Outcome>>> outcomes = Map.of("even", new ArrayList<>(), "odd", new ArrayList<>());
    for (int i = 0; i < 200; i++) { // each topic alone would pass the limit
      String topic = i % 2 == 0 ? "even" : "odd";
      outcomes.get(topic).add(append(store, topic, payload));
    }
    int acceptedInAll = 0;
    for (var topic : outcomes.entrySet()) {
      List<Outcome> results = topic.getValue().stream().map(CompletableFuture::join).toList();
      int accepted = (int) results.stream().filter(Outcome::isStored).count();
      assertTrue(accepted > 10 && accepted < results.size(), topic.getKey() + " accepted " + accepted);
      for (int i = 0; i < results.size(); i++) {
        assertEquals(i < accepted, results.get(i).isStored(), topic.getKey() + " publish " + i
            + ": once one is refused, every later one is: " + results);
      }
      assertTrue(results.get(accepted).refusal().contains("max_disk_bytes=" + limit), results.get(accepted).refusal());
      acceptedInAll += accepted;
    }
    store.close();
    assertTrue(acceptedInAll * (long) record <= limit, acceptedInAll + " records of " + record + " bytes");

    long onDisk = segmentBytesUnder(dataDir);
    assertEquals(onDisk, store.diskBytes(), "the running total is what the files hold");
    assertTrue(onDisk <= limit, onDisk + " bytes on disk, limit " + limit);
    // A new segment costs its header too: the next record did not fit even without one.
    assertTrue(limit - onDisk < record + SegmentFormat.HEADER_BYTES, (limit - onDisk) + " bytes left unused");

    MessageStore restarted = start(new MessageStore(options(limit, 64), ownerLoop));
    assertFalse(append(restarted, "odd", payload).join().isStored(), "the limit holds after a restart");
    restarted.close();
    assertEquals(onDisk, restarted.diskBytes(), "recovery counts the real file sizes");
  }

  private static long segmentBytesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.toString().endsWith(SegmentFormat.EXTENSION)).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
    }
  }

  // ---- names ----

  @Test
  void aTopicFolderWithALeadingDotIsLoggedAndLeftAloneAtRecoveryAndComesBackOnceRenamed() throws Exception {
    MessageStore store = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop));
    assertEquals(new Outcome(1, null), append(store, "hidden", "kept").join());
    store.close();
    Path topics = dataDir.resolve("topics");
    Files.move(topics.resolve("hidden"), topics.resolve(".hidden")); // as an older build could have named it

    ListAppender<ILoggingEvent> lines = capture(MessageStore.class);
    MessageStore ignoring = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(ignoring);
    assertEquals(List.of(), ignoring.recover());
    assertTrue(lines.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().contains(topics.resolve(".hidden").toAbsolutePath().toString())
        && e.getFormattedMessage().contains("renamed")), lines.list.toString());
    assertTrue(Files.isDirectory(topics.resolve(".hidden")), "the folder is left as it was");
    ignoring.close();

    Files.move(topics.resolve(".hidden"), topics.resolve("hidden-again")); // the operator's step
    MessageStore renamed = new MessageStore(options(0, SMALL_BUDGET), ownerLoop);
    opened.add(renamed);
    List<RecoveredTopic> recovered = renamed.recover();
    assertEquals(List.of("hidden-again"), recovered.stream().map(RecoveredTopic::name).toList());
    assertEquals(List.of("kept"), recovered.get(0).messages().stream().map(m -> m.payload()).toList());
  }

  // ---- failures ----

  @Test
  void aFailingDiskLogsItsFirstErrorAndThenAtMostALineASecond() throws Exception {
    ListAppender<ILoggingEvent> lines = capture(MessageStore.class);
    PositionalWriter brokenDisk = (channel, source, position) -> {
      throw new IOException("Input/output error (simulated)");
    };
    MessageStore store = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop, new OpenFiles(SMALL_BUDGET),
        brokenDisk));
    long started = System.nanoTime();
    int publishes = 100;
    for (int i = 0; i < publishes; i++) { // a window-1 producer: one append per batch
      Outcome outcome = append(store, "t", "m" + i).join();
      assertEquals("storage unavailable: Input/output error (simulated)", outcome.refusal());
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    List<ILoggingEvent> errors = lines.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    assertTrue(errors.get(0).getFormattedMessage().contains("append of 1 messages failed"), errors.toString());
    // One line for the first, then per second at most one error and one count of those suppressed.
    assertTrue(errors.size() <= 1 + 2 * (seconds + 1), errors.size() + " ERROR lines in " + seconds + " s");
  }

  @Test
  void anErrorOnTheStorageThreadRefusesEveryPendingAndLaterPublishAnswersHistoryAndSaysToRestart() throws Exception {
    ListAppender<ILoggingEvent> lines = capture(MessageStore.class);
    boolean[] broken = {false};
    PositionalWriter outOfMemory = (channel, source, position) -> {
      if (broken[0]) {
        throw new OutOfMemoryError("simulated");
      }
      return channel.write(source, position);
    };
    MessageStore store = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop, new OpenFiles(SMALL_BUDGET),
        outOfMemory));
    assertEquals(new Outcome(1, null), append(store, "t", "before").join());
    broken[0] = true; // seen by the storage thread: the join above and the next enqueue order it
    List<CompletableFuture<Outcome>> pending = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pending.add(append(store, i % 2 == 0 ? "t" : "u", "m" + i));
    }
    for (CompletableFuture<Outcome> outcome : pending) {
      assertEquals(MessageStore.FAILED_REASON, outcome.join().refusal());
    }
    assertTrue(store.isFailed());
    assertEquals(MessageStore.FAILED_REASON, append(store, "v", "later").join().refusal());
    assertEquals(List.of(), history(store, "t"), "a client's history read is answered, not left waiting");
    List<ILoggingEvent> errors = lines.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).getFormattedMessage().contains("restart the broker"), errors.get(0).getFormattedMessage());
    assertEquals("simulated", errors.get(0).getThrowableProxy().getMessage());
    store.close();

    MessageStore restarted = start(new MessageStore(options(0, SMALL_BUDGET), ownerLoop));
    assertEquals(List.of("before"), history(restarted, "t").stream().map(StoredMessage::payload).toList());
    assertEquals(new Outcome(2, null), append(restarted, "t", "after").join());
  }

  private ListAppender<ILoggingEvent> capture(Class<?> source) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
    captured = appender;
    return appender;
  }

  @AfterEach
  void detachAppender() {
    if (captured != null) {
      ((Logger) LoggerFactory.getLogger(MessageStore.class)).detachAppender(captured);
    }
  }
}
