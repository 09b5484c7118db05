package dev.courier.client;

import dev.courier.protocol.Frame;
import dev.courier.protocol.ErrorCode;

/**
 * Why a client operation failed: {@link #reason()} says what kind of failure it is, and for
 * {@link Reason#BROKER_ERROR} {@link #code()} is the broker's stable error code.
 */
public final class CourierException extends RuntimeException {
  /** The kinds of failure a caller may want to tell apart. */
  public enum Reason {
    /** The broker answered {@code error}; see {@link #code()}. */
    BROKER_ERROR,
    /** The producer's window of unconfirmed publishes is full: wait for {@link Producer#awaitRoom()}. */
    WINDOW_FULL,
    /**
     * The connection was lost after the publish was sent and before its {@code ok}: the broker may
     * or may not have stored it. Publish again to be sure (with a dedup id, where the broker
     * supports it, to avoid a second copy).
     */
    CONNECTION_LOST,
    /** The client (or this consumer) is closed, or gave up reconnecting. */
    CLOSED,
    /** A blocking call's timeout passed. */
    TIMEOUT,
    /** The broker could not be reached or refused the registration. */
    CONNECT_FAILED
  }

  private final Reason reason;
  private final ErrorCode code;
  /** The broker's frame for {@link Reason#BROKER_ERROR}, for the CLI's error summary; null otherwise. */
  private final transient Frame.Error brokerError;

  public CourierException(Reason reason, String message) {
    this(reason, null, message);
  }

  public CourierException(Reason reason, ErrorCode code, String message) {
    this(reason, code, message, null);
  }

  CourierException(Frame.Error brokerError) {
    this(Reason.BROKER_ERROR, brokerError.code(), BrokerErrors.describe(brokerError), brokerError);
  }

  private CourierException(Reason reason, ErrorCode code, String message, Frame.Error brokerError) {
    super(message);
    this.reason = reason;
    this.code = code;
    this.brokerError = brokerError;
  }

  Frame.Error brokerError() {
    return brokerError;
  }

  public Reason reason() {
    return reason;
  }

  /** The broker's error code for {@link Reason#BROKER_ERROR}; null otherwise (or if the broker sent none). */
  public ErrorCode code() {
    return code;
  }
}
