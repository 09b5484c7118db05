package dev.courier.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One redrive: moves up to a limit of dead letters from a dead-letter topic back to the topic each
 * came from, as new messages (attempts start again) for the group each came from only (the
 * topic's other groups have them acked ahead), through the one publish route. Which dead
 * letters are still to move is the position of one internal group of the dead-letter topic,
 * {@value #GROUP}: a dead letter is acked there once its copy is stored in its topic, so that is
 * journaled like any ack and survives a restart (a crash between the two may move one twice,
 * never lose one). It takes what the dead-letter topic holds in memory at once; a dead letter
 * paged out to disk waits for the next redrive.
 */
final class Redrive implements Consumer {
  /** A name no client may give a group (it starts with a dot), so it never meets a consumer's. */
  static final String GROUP = ".redrive";
  /** Its own deliveries never fail for good: a refused move stays in the dead-letter topic. */
  static final GroupSettings SETTINGS = new GroupSettings(0, null);
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final Broker broker;
  private final LongConsumer reply;
  private final List<Message> taken = new ArrayList<>();
  /** One publisher per group the dead letters go back to: outcomes come per publisher, in order. */
  private final Map<String, Mover> movers = new LinkedHashMap<>();
  /** Copies on their way to storage, over every mover. */
  private int moving;
  private Subscription subscription;
  private long moved;
  /** Every dead letter taken is on its way (memory storage answers inside publish). */
  private boolean allSent;
  private boolean answered;

  Redrive(Broker broker, LongConsumer reply) {
    this.broker = broker;
    this.reply = reply;
  }

  void start(String deadLetterTopic, int limit) {
    // Only a topic that got dead letters: a .redrive group on any other would hold its messages for ever.
    if (!broker.holdsDeadLetters(deadLetterTopic)
        || broker.checkSubscribe(deadLetterTopic, GROUP) != SubscribeCheck.ALLOWED) {
      reply.accept(0);
      return;
    }
    // The group delivers what it holds in memory before subscribe returns; then it takes no more.
    subscription = broker.subscribe(deadLetterTopic, GROUP, false, limit, SETTINGS, this);
    broker.setCredit(subscription, 0);
    for (Message deadLetter : taken) {
      Map<String, String> headers = deadLetter.headers() == null ? Map.of() : deadLetter.headers();
      String topic = headers.get("x-original-topic");
      String group = headers.get("x-original-group");
      if (!Names.isValid(topic) || group == null) {
        broker.nack(subscription, deadLetter.id()); // not a dead letter Courier wrote: it stays
        continue;
      }
      Mover mover = movers.computeIfAbsent(topic + '\n' + group, key -> new Mover(group));
      mover.ids.addLast(deadLetter.id());
      moving++;
      broker.publish(mover.publisher, new Publication(topic, deadLetter.payload(), deadLetter.key(),
          originalHeaders(headers), deadLetter.base64()));
    }
    allSent = true;
    finishIfDone();
  }

  private static Map<String, String> originalHeaders(Map<String, String> headers) {
    Map<String, String> original = new LinkedHashMap<>(headers);
    for (String added : List.of("x-original-topic", "x-original-group", "x-original-id", "x-attempts", "x-reason")) {
      original.remove(added);
    }
    return original;
  }

  private void finishIfDone() {
    if (allSent && moving == 0 && !answered) {
      answered = true;
      broker.unsubscribe(subscription);
      log.info("redrive of topic={} moved {} dead letters", subscription.topic(), moved);
      reply.accept(moved);
    }
  }

  /** The copies going back to one group, and their outcomes in the order published. */
  private final class Mover implements PublishListener {
    final ArrayDeque<Long> ids = new ArrayDeque<>();
    final Publisher publisher = broker.publisher(this);

    Mover(String group) {
      publisher.onlyGroup = group;
    }

    @Override
    public void stored(Message copy) {
      broker.ack(subscription, ids.pollFirst());
      moving--;
      moved++;
      finishIfDone();
    }

    @Override
    public void refused(Publication publication, PublishRefusal refusal, String detail) {
      long id = ids.pollFirst();
      moving--;
      log.warn("redrive: topic={} msg={} could not move to topic={} ({}); it stays", subscription.topic(), id,
          publication.topic(), refusal);
      broker.nack(subscription, id);
      finishIfDone();
    }
  }

  @Override
  public boolean canAccept() {
    return true;
  }

  @Override
  public void deliver(Message message, int attempt) {
    taken.add(message);
  }

  @Override
  public String name() {
    return "redrive";
  }
}
