package dev.courier.client;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Where and how a {@link CourierClient} connects; build with {@link #builder()}. Every setting has a
 * default that suits a broker on the same host or LAN.
 */
public final class ClientOptions {
  /** The broker's default port (conf/broker.json). */
  public static final int DEFAULT_PORT = 7878;
  /**
   * Unconfirmed publishes a producer holds: at 100 B messages and a few ms of fsync this keeps a
   * durable broker's group commit full (the bench's default window is the same order), while a
   * lost connection fails at most this many.
   */
  public static final int DEFAULT_MAX_UNCONFIRMED = 1000;
  /** First retry soon (a broker restart takes about a second), doubling to at most 5 s. */
  public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofMillis(100);
  public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(5);

  final String host;
  final int port;
  final ClientTls tls;
  final Credentials credentials;
  final String clientName;
  final int maxUnconfirmed;
  final boolean reconnect;
  final Backoff backoff;
  final int maxReconnectAttempts;
  final long connectTimeoutMs;
  final Vertx vertx;
  final boolean opensProducer;

  private ClientOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.tls = b.tls;
    this.credentials = b.credentials;
    this.clientName = b.clientName;
    this.maxUnconfirmed = b.maxUnconfirmed;
    this.reconnect = b.reconnect;
    this.backoff = new Backoff(b.reconnectInitial.toMillis(), b.reconnectMax.toMillis());
    this.maxReconnectAttempts = b.maxReconnectAttempts;
    this.connectTimeoutMs = b.connectTimeout.toMillis();
    this.vertx = b.vertx;
    this.opensProducer = b.opensProducer;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public int maxUnconfirmed() {
    return maxUnconfirmed;
  }

  /** Builds {@link ClientOptions}; every setter checks its value at once. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private ClientTls tls = ClientTls.OFF;
    private Credentials credentials = Credentials.NONE;
    private String clientName;
    private int maxUnconfirmed = DEFAULT_MAX_UNCONFIRMED;
    private boolean reconnect = true;
    private Duration reconnectInitial = DEFAULT_RECONNECT_INITIAL;
    private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
    private int maxReconnectAttempts;
    private Duration connectTimeout = Duration.ofMillis(Handshake.DEFAULT_DEADLINE_MS);
    private Vertx vertx;
    private boolean opensProducer = true;

    private Builder() {
    }

    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be empty");
      }
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** TLS to the broker, checking its certificate against the CAs in {@code caFile} (PEM; null: the JVM's). */
    public Builder tls(String caFile) {
      this.tls = ClientTls.trusting(caFile);
      return this;
    }

    /** TLS with a client certificate too, for a broker that requires one (mutual TLS). */
    public Builder tls(String caFile, String certFile, String keyFile) {
      this.tls = new ClientTls(true, caFile, certFile, keyFile);
      return this;
    }

    /** TLS as a {@link ClientTls} value ({@link ClientTls#OFF}: plain TCP), e.g. as a command line parsed it. */
    public Builder tls(ClientTls tls) {
      this.tls = tls == null ? ClientTls.OFF : tls;
      return this;
    }

    /** A user of the broker's users file (docs/SECURITY.md); sent in every register. */
    public Builder credentials(String user, String password) {
      this.credentials = new Credentials(user, password);
      return this;
    }

    /** A name the broker logs with this client's connections. */
    public Builder clientName(String clientName) {
      this.clientName = clientName;
      return this;
    }

    /** The producer's window: publishes sent (or waiting to be) and not yet confirmed. */
    public Builder maxUnconfirmed(int maxUnconfirmed) {
      if (maxUnconfirmed < 1) {
        throw new IllegalArgumentException("maxUnconfirmed must be at least 1, was " + maxUnconfirmed);
      }
      this.maxUnconfirmed = maxUnconfirmed;
      return this;
    }

    /** Whether a lost connection is opened again (default true). */
    public Builder reconnect(boolean reconnect) {
      this.reconnect = reconnect;
      return this;
    }

    /** Reconnect waits: from about {@code initial}, doubling, never above {@code max}; jittered. */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      new Backoff(initial.toMillis(), max.toMillis()); // validates
      this.reconnectInitial = initial;
      this.reconnectMax = max;
      return this;
    }

    /** Retries after a loss before the client gives up on that connection; 0 (the default): never gives up. */
    public Builder maxReconnectAttempts(int attempts) {
      if (attempts < 0) {
        throw new IllegalArgumentException("maxReconnectAttempts must be >= 0, was " + attempts);
      }
      this.maxReconnectAttempts = attempts;
      return this;
    }

    /** How long one connect and register may take before the attempt counts as failed. */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("connectTimeout must be at least 1 ms");
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * The Vert.x instance to run on (the client then leaves it open on close); without one the
     * client creates its own and closes it on {@link CourierClient#close()}.
     */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /**
     * No producer connection: for a program that only consumes, which then holds one connection
     * per subscription and nothing idle besides. {@link CourierClient#producer()} then throws, and
     * {@link CourierClient#connect} completes without contacting the broker (each subscribe does).
     */
    public Builder consumeOnly() {
      this.opensProducer = false;
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(this);
    }
  }
}
