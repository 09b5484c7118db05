package dev.courier.protocol;

/** A frame the broker cannot accept: carries the code and the sentence sent back to the peer. */
public final class FrameException extends Exception {
  private final ErrorCode code;

  public FrameException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
