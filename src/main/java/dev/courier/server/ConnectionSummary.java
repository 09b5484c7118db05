package dev.courier.server;

/**
 * One open connection as the HTTP API lists it, taken on the broker's loop. {@code role} is
 * {@code producer}, {@code consumer} or {@code unregistered}; {@code group}, {@code credit} and
 * {@code inFlight} are a consumer's (null, 0 and 0 otherwise).
 */
public record ConnectionSummary(long id, String role, String topic, String group, String remoteAddress,
    String user, String client, long credit, int inFlight) {}
