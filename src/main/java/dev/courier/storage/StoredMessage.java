package dev.courier.storage;

import java.util.Map;

/** A message as the log keeps it; {@code base64} says the payload is binary carried as base64 text. */
public record StoredMessage(long id, long timestampMillis, String key, Map<String, String> headers, boolean base64,
    String payload) {}
