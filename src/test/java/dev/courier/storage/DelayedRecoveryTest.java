package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.core.GroupPosition;
import dev.courier.core.RestoredTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed publishes on disk: their records, the journal's DELAY_DUE events and the checkpoint's
 * watermark tell a recovery which delays are still pending, even where every group passed them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DelayedRecoveryTest {
  private static final long DUE_1 = 1_700_000_001_000L;
  private static final long DUE_2 = 1_700_000_002_000L;
  private static final long DUE_3 = 1_700_000_003_000L;

  @TempDir
  Path dataDir;

  private final ExecutorService ownerLoop = Executors.newSingleThreadExecutor();
  private final List<MessageStore> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws InterruptedException {
    for (MessageStore store : opened) {
      store.close();
    }
    ownerLoop.shutdownNow();
  }

  private MessageStore open() {
    MessageStore store = new MessageStore(new StorageOptions(dataDir, FsyncMode.ALWAYS, 100, 4096, 0, 0, 0, 1 << 20,
        16), ownerLoop);
    opened.add(store);
    return store;
  }

  private static CompletableFuture<Long> append(MessageStore store, String payload, long deliverAtMillis) {
    CompletableFuture<Long> id = new CompletableFuture<>();
    store.append("t", payload, null, Map.of(), false, null, 0, deliverAtMillis, new AppendCallback() {
      @Override
      public void stored(long storedId, long timestampMillis) {
        id.complete(storedId);
      }

      @Override
      public void failed(String reason) {
        id.completeExceptionally(new AssertionError(reason));
      }
    });
    return id;
  }

  @Test
  void delaysTheGroupPassedAreStillPendingAfterARestartButNotOnesTheJournalSaysWereDue() throws Exception {
    MessageStore store = open();
    store.recover();
    store.journal("t", new GroupEvent.GroupCreated("g", 1));
    CompletableFuture<Long> first = append(store, "due 3", DUE_3);
    CompletableFuture<Long> second = append(store, "due 1", DUE_1);
    CompletableFuture<Long> third = append(store, "plain", 0);
    CompletableFuture<Long> fourth = append(store, "due 2", DUE_2);
    // The group passed all four and acked the plain one; msg 2 became due and is pending for it.
    store.checkpoint("t", List.of(new GroupPosition("g", 5, List.of(), Set.of())));
    store.journal("t", new GroupEvent.Acked("g", 3));
    store.journal("t", new GroupEvent.DelayDue(2, DUE_1));
    store.start();
    assertEquals(List.of(1L, 2L, 3L, 4L), List.of(first.join(), second.join(), third.join(), fourth.join()));
    store.close();

    RestoredTopic topic = open().recover().get(0).topic();
    assertArrayEquals(new long[] {1, 4}, topic.delayedIds(), "msg 2 was released, msg 3 is not delayed");
    assertArrayEquals(new long[] {DUE_3, DUE_2}, topic.delayedDueMillis());
    assertEquals(1, topic.resident().get(0).id(), "the window starts at the first pending delay");
    GroupPosition position = topic.groups().get(0);
    assertEquals(List.of(new GroupPosition.PendingDelivery(2, 0)), position.pending(), "released to the group");
    assertEquals(DUE_1, position.delayedUpToMillis());
    assertEquals(2, position.delayedUpToId());
  }

  @Test
  void theCheckpointsWatermarkAloneTellsADelayReleasedAndAckedFromOneStillPending() throws Exception {
    MessageStore store = open();
    store.recover();
    store.journal("t", new GroupEvent.GroupCreated("g", 1));
    CompletableFuture<Long> first = append(store, "due 1", DUE_1);
    CompletableFuture<Long> second = append(store, "due 3", DUE_3);
    // msg 1 was released and acked before this checkpoint: only its watermark says so.
    store.checkpoint("t", List.of(new GroupPosition("g", 3, List.of(), Set.of(), null, DUE_1, 1)));
    store.start();
    assertEquals(2, second.join());
    assertEquals(1, first.join());
    store.close();

    RestoredTopic topic = open().recover().get(0).topic();
    assertArrayEquals(new long[] {2}, topic.delayedIds());
    assertEquals(List.of(2L), topic.resident().stream().map(m -> m.id()).toList());
    assertEquals(DUE_1, topic.groups().get(0).delayedUpToMillis(), "kept by checkpoint version 4");
  }

  @Test
  void aDelayedRecordAndADelayDueEventReadBackAsWritten() throws Exception {
    StoredMessage delayed = new StoredMessage(7, 1_000, "k", Map.of("h", "v"), false, "body", "d-1", 60_000, DUE_2);
    LogRecord record = RecordCodec.encode(delayed);
    assertEquals(RecordCodec.MESSAGE_DELAYED, record.type());
    assertEquals(delayed, RecordCodec.decodeMessage(record));
    assertEquals(DUE_2, RecordCodec.deliverAtMillis(record));
    assertEquals(0, RecordCodec.deliverAtMillis(RecordCodec.encode(new StoredMessage(8, 1_000, null, Map.of(), false,
        "seed"))), "a seed record is not delayed");
    assertEquals(RecordCodec.MESSAGE, RecordCodec.encode(new StoredMessage(8, 1_000, null, Map.of(), false, "seed"))
        .type(), "a message without a delay is written as before, byte for byte");

    GroupEvent due = new GroupEvent.DelayDue(7, DUE_2);
    LogRecord event = RecordCodec.encode(3, due);
    assertEquals(RecordCodec.DELAY_DUE, event.type());
    assertEquals(due, RecordCodec.decodeGroupEvent(event));
  }
}
