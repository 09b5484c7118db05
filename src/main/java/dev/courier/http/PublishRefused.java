package dev.courier.http;

import dev.courier.core.PublishRefusal;

/**
 * A publish through the API that the core refused (or held past the listener's patience); a null
 * {@code refusal} is a bad request by the core's rules (a delay reaching the TTL).
 */
public final class PublishRefused extends RuntimeException {
  final PublishRefusal refusal;

  public PublishRefused(PublishRefusal refusal, String message) {
    super(message, null, false, false);
    this.refusal = refusal;
  }

  /** A publish the core's rules refuse before it is made: 400 {@code bad_request}. */
  public static PublishRefused badRequest(String message) {
    return new PublishRefused(null, message);
  }

  /** The API's status and code for it (docs/HTTP.md), as the broker port's error codes name it. */
  ApiError toApiError() {
    if (refusal == null) {
      return ApiError.badRequest(getMessage());
    }
    return switch (refusal) {
      case TOPIC_FULL, LARGER_THAN_TOPIC -> new ApiError(409, "topic_full", getMessage());
      case TOO_MANY_TOPICS -> new ApiError(409, "limit_reached", getMessage());
      case UNKNOWN_TOPIC -> new ApiError(404, "unknown_topic", getMessage());
      case SHUTTING_DOWN -> new ApiError(503, "shutting_down", getMessage());
      case STORAGE_FAILED -> new ApiError(503, "storage_unavailable", getMessage());
    };
  }
}
