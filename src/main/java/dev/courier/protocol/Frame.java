package dev.courier.protocol;

import java.util.Map;

/**
 * One wire frame, named as on the wire. The JSON of each is internally tagged by a lower-case
 * {@code "type"} field, the way serde encodes the seed's enums; see {@code docs/PROTOCOL.md}.
 * Fields beyond the seed's are optional and null when absent.
 */
public sealed interface Frame {

  /**
   * First frame of every connection: says whether the peer publishes or consumes, and optionally
   * where. {@code extended} is true when the client sent any field beyond the seed's {@code role};
   * only such clients receive the extra fields of {@link Message}. {@code user} and
   * {@code password} (docs/SECURITY.md) are credentials, not such a field: a seed client that
   * only adds them still receives seed-shaped messages.
   */
  record Register(Role role, String topic, String group, Integer prefetch, Start start, String client,
      boolean extended, String user, String password, Integer maxDeliveries, String deadLetterTopic,
      Ordering ordering) implements Frame {
    /** A seed register: the default topic and group. */
    public Register(Role role) {
      this(role, null, null, null, null, null, false);
    }

    /** A register without credentials. */
    public Register(Role role, String topic, String group, Integer prefetch, Start start, String client,
        boolean extended) {
      this(role, topic, group, prefetch, start, client, extended, null, null);
    }

    /** A register without an ordering (it joins a group of any, or creates an unordered one). */
    public Register(Role role, String topic, String group, Integer prefetch, Start start, String client,
        boolean extended, String user, String password, Integer maxDeliveries, String deadLetterTopic) {
      this(role, topic, group, prefetch, start, client, extended, user, password, maxDeliveries, deadLetterTopic,
          null);
    }

    /** A register without the dead-letter fields of a new group. */
    public Register(Role role, String topic, String group, Integer prefetch, Start start, String client,
        boolean extended, String user, String password) {
      this(role, topic, group, prefetch, start, client, extended, user, password, null, null);
    }

    public boolean hasCredentials() {
      return user != null || password != null;
    }

    /** Never the password: frames are logged at DEBUG. */
    @Override
    public String toString() {
      return "Register[role=" + role + ", topic=" + topic + ", group=" + group + ", prefetch=" + prefetch
          + ", start=" + start + ", client=" + client + ", extended=" + extended + ", user=" + user
          + (password == null ? "" : ", password=***") + ", maxDeliveries=" + maxDeliveries
          + ", deadLetterTopic=" + deadLetterTopic + ", ordering=" + ordering + "]";
    }
  }

  /**
   * A producer's message; answered by exactly one {@link Ok} or {@link Error}, in order. The life
   * cycle fields are null when absent: {@code delayMs} (deliver not before now + it) or
   * {@code deliverAt} (epoch ms), never both; {@code ttlMs} (never delivered once it is this old);
   * {@code dedupId} (a second publish with it to the same topic within the dedup window is not
   * stored again).
   */
  record Publish(String payload, String topic, String key, Map<String, String> headers, Encoding encoding,
      Long delayMs, Long deliverAt, Long ttlMs, String dedupId) implements Frame {
    /**
     * The longest {@code delay_ms}, {@code ttl_ms} and nack {@code delay_ms}: a year. Longer is a
     * scheduler's job, not a broker's; and due times in nanoseconds stay centuries from overflow.
     */
    public static final long MAX_DELAY_MS = 365L * 24 * 60 * 60 * 1000;
    /** The latest {@code deliver_at}: 9999-12-31T23:59:59.999Z, so that it prints as a date. */
    public static final long MAX_DELIVER_AT = 253_402_300_799_999L;
    /** UTF-8 bytes of a {@code dedup_id}: enough for a UUID or a hash; the broker keeps each for a window. */
    public static final int MAX_DEDUP_ID_BYTES = 128;

    public Publish(String payload) {
      this(payload, null, null, null, null);
    }

    /** A publish without life cycle fields. */
    public Publish(String payload, String topic, String key, Map<String, String> headers, Encoding encoding) {
      this(payload, topic, key, headers, encoding, null, null, null, null);
    }

    /** True when any life cycle field is present: such a producer is answered {@code {"type":"ok","id":N}}. */
    public boolean hasLifecycleFields() {
      return delayMs != null || deliverAt != null || ttlMs != null || dedupId != null;
    }
  }

  /**
   * A consumer's acknowledgement of a delivery. Ids are unsigned 64-bit on the wire and {@code id}
   * holds their 64 bits: one above {@link Long#MAX_VALUE} reads negative here, was never assigned,
   * and {@link Long#toUnsignedString(long)} prints it as the client sent it.
   */
  record Ack(long id) implements Frame {
    /** 2^64-1, the largest id on the wire, which no message is ever given. */
    public static final long UNASSIGNABLE_ID = -1;
  }

  /** A consumer sets how many unacked messages it will hold (NSQ's RDY); 0 pauses delivery. */
  record Credit(long n) implements Frame {}

  /**
   * Asks for a stats snapshot; allowed in any connection state. The reply holds one page of
   * topics in name order: those after {@code after} (from the first when null), at most
   * {@code limit}, and no more than fit in {@code max_frame_bytes}.
   */
  record Stats(String after, int limit) implements Frame {
    /** No count limit: the page holds as many topics as fit in the frame. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    /** The first page, as many topics as fit: what a seed-era {@code {"type":"stats"}} asks. */
    public Stats() {
      this(null, NO_LIMIT);
    }
  }

  /**
   * The answer to {@link Stats}: a JSON object, see {@code docs/PROTOCOL.md}. Its {@code next}
   * field, present when more topics follow, is the {@code after} of the next request.
   */
  record StatsReply(Object snapshot) implements Frame {}

  /**
   * Asks for up to {@code limit} retained messages of a topic: from id {@code fromId} on, or the
   * last ones when {@code fromId} is null. Allowed in any connection state; affects no group.
   */
  record History(String topic, Long fromId, int limit) implements Frame {
    /** Bounds the messages one reply holds; {@code max_frame_bytes} bounds its bytes. */
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;
  }

  /**
   * The answer to {@link History}, oldest first. {@code nextId} is null when the topic holds
   * nothing after these messages; otherwise it is the {@code from} that asks for the next page.
   */
  record HistoryReply(String topic, java.util.List<HistoryMessage> messages, Long nextId) implements Frame {
    public HistoryReply(String topic, java.util.List<HistoryMessage> messages) {
      this(topic, messages, null);
    }
  }

  /** One message of a {@link HistoryReply}. */
  record HistoryMessage(long id, String payload, long timestampMillis, String key, Map<String, String> headers,
      Encoding encoding) {}

  /**
   * A delivery to a consumer. A redelivery keeps its id. {@code details} is null for seed
   * clients, which receive exactly {@code {"type":"message","id":N,"payload":"..."}}.
   */
  record Message(long id, String payload, MessageDetails details) implements Frame {
    public Message(long id, String payload) {
      this(id, payload, null);
    }
  }

  /** The fields of a delivery that only clients who registered with extended fields receive. */
  record MessageDetails(String topic, int attempt, long timestampMillis, String key,
      Map<String, String> headers, Encoding encoding, Boolean active) {
    /** Not from a single group: no {@code active} field. */
    public MessageDetails(String topic, int attempt, long timestampMillis, String key, Map<String, String> headers,
        Encoding encoding) {
      this(topic, attempt, timestampMillis, key, headers, encoding, null);
    }
  }

  /**
   * Confirms one publish. {@code id} (null for seed producers, which receive exactly
   * {@code {"type":"ok"}}) is the stored message's id; with {@code duplicate} it is the id of the
   * earlier publish with the same {@code dedup_id}, and nothing new was stored.
   */
  record Ok(Long id, boolean duplicate) implements Frame {
    public static final Ok INSTANCE = new Ok();

    public Ok() {
      this(null, false);
    }
  }

  /** A consumer gives a delivery back: again at once, or not before {@code delayMs}; an attempt that failed. */
  record Nack(long id, Long delayMs) implements Frame {}

  /** A consumer is still working on a delivery: its ack deadline restarts from now. */
  record Touch(long id) implements Frame {}

  /**
   * Moves up to {@code limit} (all when null) dead letters of {@code topic} back to the topic and
   * group each came from; answered by {@link RedriveReply}.
   */
  record Redrive(String topic, Integer limit) implements Frame {}

  /** How many dead letters a {@link Redrive} moved. */
  record RedriveReply(long moved) implements Frame {}

  /** Something went wrong; {@code code} is stable, {@code message} is for people. */
  record Error(String message, ErrorCode code) implements Frame {}

  /** The two roles of the seed protocol. */
  enum Role {
    PRODUCER("producer"),
    CONSUMER("consumer");

    private final String wireName;

    Role(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** Case-sensitive, as serde is: {@code "Producer"} is not a role. */
    public static Role fromWire(String name) {
      for (Role role : values()) {
        if (role.wireName.equals(name)) {
          return role;
        }
      }
      return null;
    }
  }

  /** Where a new group starts reading its topic. */
  /** A register's {@code ordering}: what a group it creates promises (docs/PROTOCOL.md, "Ordering"). */
  enum Ordering {
    NONE("none"),
    KEY("key"),
    SINGLE("single");

    private final String wireName;

    Ordering(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Ordering fromWire(String name) {
      for (Ordering ordering : values()) {
        if (ordering.wireName.equals(name)) {
          return ordering;
        }
      }
      return null;
    }
  }

  enum Start {
    /** The oldest message the topic still holds (the default). */
    EARLIEST("earliest"),
    /** Only messages published after the group was created. */
    LATEST("latest");

    private final String wireName;

    Start(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Start fromWire(String name) {
      for (Start start : values()) {
        if (start.wireName.equals(name)) {
          return start;
        }
      }
      return null;
    }
  }

  /** How a payload string is to be read: absent means text; base64 carries binary. */
  enum Encoding {
    BASE64("base64");

    private final String wireName;

    Encoding(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Encoding fromWire(String name) {
      return BASE64.wireName.equals(name) ? BASE64 : null;
    }
  }
}
