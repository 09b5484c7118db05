package dev.courier.core;

/**
 * A published message. Ids are assigned by the broker, start at 1 and grow; a redelivery keeps the
 * id, so a consumer can tell a redelivery from a new message.
 */
public record Message(long id, String payload, long timestampMillis) {}
