package dev.courier.protocol;

/**
 * The stable codes carried in {@code error} frames. A code never changes meaning; new ones may be
 * added. {@link #isFatal()} tells whether the broker closes the connection after sending it:
 * fatal when the byte stream can no longer be trusted or the peer has not said who it is, and
 * recoverable otherwise. Each is described in {@code docs/PROTOCOL.md}.
 */
public enum ErrorCode {
  /** Length prefix of 0: no frame can be empty. */
  EMPTY_FRAME("empty_frame", true),
  /** Length prefix above {@code max_frame_bytes}; rejected before anything is allocated. */
  FRAME_TOO_LARGE("frame_too_large", true),
  /** The body is not a single UTF-8 JSON object. */
  BAD_JSON("bad_json", true),
  /** Any frame other than {@code register} before the connection registered. */
  NOT_REGISTERED("not_registered", true),
  /** {@code register} with a role that is not {@code producer} or {@code consumer}. */
  BAD_ROLE("bad_role", true),
  /** A second {@code register} on a connection. */
  ALREADY_REGISTERED("already_registered", true),
  /** No {@code register} within {@code register_timeout_ms}. */
  REGISTER_TIMEOUT("register_timeout", true),
  /** The broker has {@code max_connections} open connections already. */
  TOO_MANY_CONNECTIONS("too_many_connections", true),
  /** A bug in the broker while handling this connection; only this connection is closed. */
  INTERNAL_ERROR("internal_error", true),
  /** A frame body still incomplete {@code frame_timeout_ms} after it began. */
  FRAME_TIMEOUT("frame_timeout", true),
  /**
   * {@code register} with a wrong or unknown user or password, or without credentials where
   * anonymous access is not allowed (or a stats or history frame before such a register).
   */
  UNAUTHORIZED("unauthorized", true),

  /** A JSON object whose {@code type} the broker does not know. */
  UNKNOWN_TYPE("unknown_type", false),
  /** A known frame with a missing or mistyped field. */
  BAD_REQUEST("bad_request", false),
  /** {@code publish} from a consumer or {@code ack} from a producer. */
  WRONG_ROLE("wrong_role", false),
  /** {@code ack} of an id that is not in flight (never delivered, already acked, or timed out). */
  UNKNOWN_MESSAGE("unknown_message", false),
  /** {@code ack} of a message in flight to another consumer. */
  NOT_OWNER("not_owner", false),
  /** {@code publish} while the broker drains for shutdown. */
  SHUTTING_DOWN("shutting_down", false),
  /** A topic or group name that breaks the name rule, defined once in {@code core.Names}. */
  INVALID_NAME("invalid_name", false),
  /** A topic that does not exist while {@code auto_create_topics} is off. */
  UNKNOWN_TOPIC("unknown_topic", false),
  /**
   * {@code publish} to a full topic whose {@code overflow} is {@code reject}, or of a message
   * larger than {@code max_topic_bytes}, which no topic could ever take.
   */
  TOPIC_FULL("topic_full", false),
  /** {@code publish} that storage could not keep (disk full, I/O error); nothing was stored. */
  STORAGE_UNAVAILABLE("storage_unavailable", false),
  /**
   * A {@code publish} or {@code register} that would create one topic more than {@code max_topics},
   * or one group more than {@code max_groups_per_topic}, or one topic more than a user's
   * {@code max_topics_per_user}; a {@code register} past {@code max_connections_per_user}. What
   * exists keeps working.
   */
  LIMIT_REACHED("limit_reached", false),
  /**
   * A {@code register}, {@code publish}, {@code history} or {@code stats} beyond the user's
   * permissions (docs/SECURITY.md); the connection stays, a refused register may be retried.
   */
  FORBIDDEN("forbidden", false),
  /**
   * A consumer's {@code register} asking for another {@code ordering} than its existing group was
   * created with; the connection stays unregistered and may register again.
   */
  GROUP_CONFLICT("group_conflict", false);

  private final String wireName;
  private final boolean fatal;

  ErrorCode(String wireName, boolean fatal) {
    this.wireName = wireName;
    this.fatal = fatal;
  }

  public String wireName() {
    return wireName;
  }

  public boolean isFatal() {
    return fatal;
  }

  public static ErrorCode fromWire(String name) {
    for (ErrorCode code : values()) {
      if (code.wireName.equals(name)) {
        return code;
      }
    }
    return null;
  }
}
