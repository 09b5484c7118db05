package dev.courier.http;

/**
 * A refused HTTP request: its status and the stable {@code code} a client may branch on (listed in
 * docs/HTTP.md; a code never changes meaning). The message is for a person.
 */
final class ApiError extends RuntimeException {
  final int status;
  final String code;

  ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  static ApiError unknownTopic(String topic) {
    return new ApiError(404, "unknown_topic", "no topic \"" + topic + "\"");
  }

  static ApiError unknownGroup(String topic, String group) {
    return new ApiError(404, "unknown_group", "topic \"" + topic + "\" has no group \"" + group + "\"");
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }
}
