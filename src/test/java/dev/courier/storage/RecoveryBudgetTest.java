package dev.courier.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.core.Message;
import dev.courier.core.ResidentSize;
import dev.courier.core.RestoredTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart loads a topic's messages into memory as far as topic_memory_bytes goes, counted as the
 * core counts them at publish ({@link ResidentSize}), so a restart keeps as many resident as a
 * running broker would; the rest stay on disk as sizes for the pager.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecoveryBudgetTest {
  private static final int MESSAGES = 250;
  private static final long EACH = ResidentSize.of(new Message(1, "t", payload(0), null, null, false, 0));

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

  private static String payload(int i) {
    return String.format("%05d", i) + "x".repeat(95);
  }

  private MessageStore open(long topicMemoryBytes) {
    MessageStore store = new MessageStore(new StorageOptions(dataDir, FsyncMode.ALWAYS, 100, 1 << 20, 0, 0, 0,
        topicMemoryBytes, 16), ownerLoop);
    opened.add(store);
    return store;
  }

  private static CompletableFuture<Long> append(MessageStore store, String payload) {
    CompletableFuture<Long> id = new CompletableFuture<>();
    store.append("t", payload, null, Map.of(), false, null, 0, 0, new AppendCallback() {
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
  void aRestartWithABudgetOfAHundredMessagesEstimatedMemoryLoadsAHundredAndLeavesTheRestOnDisk() throws Exception {
    MessageStore store = open(100 * EACH);
    store.recover();
    store.journal("t", new GroupEvent.GroupCreated("g", 1));
    store.start();
    CompletableFuture<Long> last = null;
    for (int i = 0; i < MESSAGES; i++) {
      last = append(store, payload(i));
    }
    assertEquals(MESSAGES, last.join());
    store.close();

    RestoredTopic topic = open(100 * EACH).recover().get(0).topic();
    assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(),
        topic.resident().stream().map(Message::id).toList(), "the first 100 in memory");
    assertEquals(payload(99), topic.resident().get(99).payload());
    assertEquals(100 * EACH, topic.resident().stream().mapToLong(ResidentSize::of).sum());
    assertEquals(101, topic.pagedFromId(), "the rest on disk, from msg 101");
    assertEquals(MESSAGES - 100, topic.pagedSizes().length);
    assertEquals(MESSAGES + 1, topic.nextId());
  }
}
