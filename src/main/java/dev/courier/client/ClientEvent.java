package dev.courier.client;

/**
 * Something that happened to one of a client's connections (its producer connection, or one
 * consumer's), for logs, metrics or health checks: see {@link CourierClient#onEvent}.
 *
 * @param type what happened
 * @param connection which connection: {@code producer}, or {@code consumer topic/group}
 * @param attempt for {@link Type#RECONNECTING}: the retry's number, from 1; 0 otherwise
 * @param delayMs for {@link Type#RECONNECTING}: how long the client waits before it
 * @param reason for {@link Type#DISCONNECTED}, {@link Type#RECONNECTING} and {@link Type#GAVE_UP}:
 *     why the connection was lost or the last attempt failed; null otherwise
 */
public record ClientEvent(Type type, String connection, int attempt, long delayMs, String reason) {
  /** The life of a connection: CONNECTED, then DISCONNECTED, RECONNECTING..., CONNECTED again, until CLOSED. */
  public enum Type {
    /** Connected and registered (again, after a reconnect: consumers receive again). */
    CONNECTED,
    /** The connection was lost; the client reconnects unless reconnecting is off. */
    DISCONNECTED,
    /** The client waits {@code delayMs} before retry number {@code attempt}. */
    RECONNECTING,
    /** The client stopped retrying (reconnecting is off or its attempts are used up); the connection is closed. */
    GAVE_UP,
    /** Closed by the application. */
    CLOSED
  }
}
