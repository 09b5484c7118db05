package dev.courier.protocol;

/**
 * One wire frame, named as on the wire. The JSON of each is internally tagged by a lower-case
 * {@code "type"} field, the way serde encodes the seed's enums; see {@code docs/PROTOCOL.md}.
 */
public sealed interface Frame {

  /** First frame of every connection: says whether the peer publishes or consumes. */
  record Register(Role role) implements Frame {}

  /** A producer's message; answered by exactly one {@link Ok} or {@link Error}, in order. */
  record Publish(String payload) implements Frame {}

  /**
   * A consumer's acknowledgement of a delivery. Ids are unsigned 64-bit on the wire; an id above
   * {@link Long#MAX_VALUE} can never have been assigned, so it decodes to {@link #UNASSIGNABLE_ID}.
   */
  record Ack(long id) implements Frame {
    public static final long UNASSIGNABLE_ID = -1;
  }

  /** A delivery to a consumer. A redelivery keeps its id. */
  record Message(long id, String payload) implements Frame {}

  /** Confirms one publish. */
  record Ok() implements Frame {
    public static final Ok INSTANCE = new Ok();
  }

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
}
