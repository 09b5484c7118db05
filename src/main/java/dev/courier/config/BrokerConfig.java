package dev.courier.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.courier.core.Names;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every broker setting with its default. Keys are snake_case in {@code conf/broker.json}, in
 * {@code --set key=value} and in a verticle's {@code -conf}; an unknown key is an error, so a typo
 * never silently leaves a default in place.
 *
 * @param host address to listen on; loopback by default so a fresh broker is not exposed
 * @param port TCP port; 8080 is the seed's
 * @param maxFrameBytes largest frame body accepted; bounds the memory one frame can claim
 * @param ackTimeoutMs time a consumer has to ack a delivery before it is requeued
 * @param maxInFlightPerConsumer unacked deliveries one consumer may hold (its credit)
 * @param drainTimeoutMs on shutdown, how long to wait for in-flight acks before closing
 * @param registerTimeoutMs how long a new connection may take to send {@code register}
 * @param maxConnections open connections at most; more are refused with an error
 * @param autoCreateTopics whether a topic comes into being on first use; if not, only {@code topics}
 * @param topics topics created at start
 * @param maxTopicMessages messages one topic retains at most (not yet acked by all its groups)
 * @param maxTopicBytes payload bytes one topic retains at most
 * @param overflow what publishing to a full topic does: {@code pause} the producer, or {@code reject}
 * @param storage {@code durable}: messages are kept on disk in {@code data_dir}; {@code memory}: not kept
 * @param dataDir where durable storage keeps its logs
 * @param fsync when a confirmed message is forced to disk: {@code always} (before {@code ok}, batched),
 *     {@code interval} (every {@code fsync_interval_ms}; {@code ok} after the write), {@code never}
 * @param fsyncIntervalMs with {@code fsync: interval}, how often to force
 * @param segmentBytes a log segment file is rolled past this size
 * @param retentionMs keep fully acked segments this long for history and replay (0: delete at once)
 * @param retentionBytes keep up to this many bytes of fully acked segments per topic (0: none)
 * @param maxDiskBytes publishes are refused with {@code storage_unavailable} past this many bytes of logs (0: no limit)
 * @param checkpointIntervalMs how often group positions are checkpointed, bounding recovery replay
 * @param topicMemoryBytes durable storage only: bytes of one topic's messages held in memory; beyond
 *     them new messages stay on disk only and are read back when it is their turn
 * @param maxBufferedFrameBytes bytes all connections together may hold for frame bodies still
 *     arriving; a connection that would exceed it is not read until budget frees up
 * @param frameTimeoutMs time a frame body may take to arrive once the broker began buffering it;
 *     past it the connection is closed with {@code frame_timeout}
 * @param maxTopics topics at most that clients may create; past it a publish or register naming a
 *     new topic gets {@code limit_reached} (declared and recovered topics count, never refused)
 * @param maxGroupsPerTopic groups at most per topic; past it a register naming a new group gets
 *     {@code limit_reached} (recovered groups count, never refused)
 * @param maxOpenFiles durable storage only: segment files open at once over every topic; the least
 *     recently used is closed when another is needed. 1024 lets 512 busy topics write both their
 *     logs without reopening, and is a small share of the usual descriptor limits (the JVM raises
 *     its soft limit to the hard one, commonly 4096 to 1M), leaving the rest for connections
 * @param tlsCertFile PEM certificate chain of the broker; with {@code tls_key_file} the broker port
 *     speaks only TLS 1.2 or 1.3. Empty (the default): plain TCP, as the seed
 * @param tlsKeyFile PEM private key (PKCS#8 or PKCS#1) of {@code tls_cert_file}
 * @param tlsClientCaFile PEM certificates of the CAs whose client certificates are accepted; when set,
 *     every client must present one (mutual TLS) and its subject CN names the connection's user
 * @param usersFile the users file (docs/SECURITY.md): users, password hashes, permissions; null: no users
 * @param allowAnonymous whether clients without credentials are served (with every permission, as
 *     seed clients were); null: yes while {@code host} is a loopback address and no users file is
 *     set, no when users are set; a non-loopback host with neither is refused at start
 * @param maxConnectionsPerUser registered connections one user of the users file (not anonymous clients) may hold
 * @param maxConnectionsPerAddress connections one remote address may hold open
 * @param maxTopicsPerUser topics one user of the users file (not anonymous clients) may create
 * @param stompPort STOMP 1.2 listener on {@code host} (docs/STOMP.md); 61613 is STOMP's registered
 *     port, so existing clients find it without configuration. {@code -1}: no STOMP listener
 * @param stompHeartBeatMs the heart-beat the STOMP listener offers and asks for (docs/STOMP.md); a
 *     peer silent for twice the agreed interval is closed. 0: no heart-beats
 * @param stompMaxHeaders headers one STOMP frame may carry; more is an ERROR and a close
 * @param stompMaxHeaderBytes characters of one STOMP header's name or value at most
 * @param stompMaxUnconfirmedSends a STOMP connection's SENDs on their way to storage at most;
 *     past it the connection is not read until some are stored (back-pressure, not an error)
 * @param stompMaxTransactionFrames SENDs and ACKs one STOMP transaction may hold until its COMMIT
 * @param httpHost address of the HTTP API, /metrics and the dashboard (docs/HTTP.md); loopback by default
 * @param httpPort port of the HTTP listener; 0 any free port, -1 no HTTP listener
 * @param metricsOpen whether {@code GET /metrics} is served without credentials when users are configured
 * @param maxDeliveries failed deliveries (ack timeout, nack, consumer gone) after which a message
 *     is dead-lettered, for groups whose register names no {@code max_deliveries}; 0: never
 * @param httpAllowPlainAuth whether an HTTP listener on a non-loopback {@code http_host} may take
 *     users' passwords without TLS (no {@code tls_cert_file}); false: such a broker refuses to start
 * @param dedupWindowMs how long after a publish with a {@code dedup_id} a second publish with the
 *     same id on the same topic is answered as a duplicate and not stored again
 * @param commitWaitUs durable storage with {@code fsync} always: how long, at most, a commit waits
 *     for more publishes to share its fsync while they keep arriving; 0: never waits
 */
public record BrokerConfig(
    String host,
    int port,
    int maxFrameBytes,
    long ackTimeoutMs,
    int maxInFlightPerConsumer,
    long drainTimeoutMs,
    long registerTimeoutMs,
    int maxConnections,
    boolean autoCreateTopics,
    List<String> topics,
    long maxTopicMessages,
    long maxTopicBytes,
    String overflow,
    String storage,
    String dataDir,
    String fsync,
    long fsyncIntervalMs,
    long segmentBytes,
    long retentionMs,
    long retentionBytes,
    long maxDiskBytes,
    long checkpointIntervalMs,
    long topicMemoryBytes,
    long maxBufferedFrameBytes,
    long frameTimeoutMs,
    int maxTopics,
    int maxGroupsPerTopic,
    int maxOpenFiles,
    String tlsCertFile,
    String tlsKeyFile,
    String tlsClientCaFile,
    String usersFile,
    Boolean allowAnonymous,
    int maxConnectionsPerUser,
    int maxConnectionsPerAddress,
    int maxTopicsPerUser,
    int stompPort,
    long stompHeartBeatMs,
    int stompMaxHeaders,
    int stompMaxHeaderBytes,
    int stompMaxUnconfirmedSends,
    int stompMaxTransactionFrames,
    String httpHost,
    int httpPort,
    boolean metricsOpen,
    int maxDeliveries,
    boolean httpAllowPlainAuth,
    long dedupWindowMs,
    long commitWaitUs) {

  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

  public BrokerConfig {
    require(host != null && !host.isBlank(), "host must not be empty");
    require(port >= 0 && port <= 65535, "port must be 0..65535, was " + port);
    require(maxFrameBytes >= 64, "max_frame_bytes must be at least 64, was " + maxFrameBytes);
    require(ackTimeoutMs >= 1, "ack_timeout_ms must be at least 1, was " + ackTimeoutMs);
    require(maxInFlightPerConsumer >= 1, "max_in_flight_per_consumer must be at least 1, was " + maxInFlightPerConsumer);
    require(drainTimeoutMs >= 0, "drain_timeout_ms must not be negative, was " + drainTimeoutMs);
    require(registerTimeoutMs >= 1, "register_timeout_ms must be at least 1, was " + registerTimeoutMs);
    require(maxConnections >= 1, "max_connections must be at least 1, was " + maxConnections);
    topics = topics == null ? List.of() : List.copyOf(topics);
    for (String topic : topics) {
      require(Names.isValid(topic), "topics: \"" + topic + "\" must be " + Names.DESCRIPTION);
    }
    require(maxTopicMessages >= 1, "max_topic_messages must be at least 1, was " + maxTopicMessages);
    require(maxTopicBytes >= 1, "max_topic_bytes must be at least 1, was " + maxTopicBytes);
    require("pause".equals(overflow) || "reject".equals(overflow),
        "overflow must be \"pause\" or \"reject\", was \"" + overflow + "\"");
    require("durable".equals(storage) || "memory".equals(storage),
        "storage must be \"durable\" or \"memory\", was \"" + storage + "\"");
    require(dataDir != null && !dataDir.isBlank(), "data_dir must not be empty");
    require("always".equals(fsync) || "interval".equals(fsync) || "never".equals(fsync),
        "fsync must be \"always\", \"interval\" or \"never\", was \"" + fsync + "\"");
    require(fsyncIntervalMs >= 1, "fsync_interval_ms must be at least 1, was " + fsyncIntervalMs);
    require(segmentBytes >= 4096, "segment_bytes must be at least 4096, was " + segmentBytes);
    require(retentionMs >= 0, "retention_ms must not be negative, was " + retentionMs);
    require(retentionBytes >= 0, "retention_bytes must not be negative, was " + retentionBytes);
    require(maxDiskBytes >= 0, "max_disk_bytes must not be negative, was " + maxDiskBytes);
    require(checkpointIntervalMs >= 10, "checkpoint_interval_ms must be at least 10, was " + checkpointIntervalMs);
    require(topicMemoryBytes >= 1024, "topic_memory_bytes must be at least 1024, was " + topicMemoryBytes);
    require(maxBufferedFrameBytes >= maxFrameBytes, "max_buffered_frame_bytes must be at least max_frame_bytes ("
        + maxFrameBytes + ") so that any one frame can be received, was " + maxBufferedFrameBytes);
    require(frameTimeoutMs >= 1, "frame_timeout_ms must be at least 1, was " + frameTimeoutMs);
    require(maxTopics >= 1, "max_topics must be at least 1, was " + maxTopics);
    require(maxGroupsPerTopic >= 1, "max_groups_per_topic must be at least 1, was " + maxGroupsPerTopic);
    // A topic writes two logs and may read a third segment in the same batch.
    require(maxOpenFiles >= 4, "max_open_files must be at least 4, was " + maxOpenFiles);
    tlsCertFile = tlsCertFile == null ? "" : tlsCertFile.trim();
    tlsKeyFile = tlsKeyFile == null ? "" : tlsKeyFile.trim();
    tlsClientCaFile = tlsClientCaFile == null ? "" : tlsClientCaFile.trim();
    // Half a TLS setup must not quietly start a plain-text broker that clients think is private.
    require(tlsCertFile.isEmpty() == tlsKeyFile.isEmpty(), tlsCertFile.isEmpty()
        ? "tls_key_file is set (" + tlsKeyFile + ") but tls_cert_file is not: TLS needs both"
        : "tls_cert_file is set (" + tlsCertFile + ") but tls_key_file is not: TLS needs both");
    require(tlsClientCaFile.isEmpty() || !tlsCertFile.isEmpty(), "tls_client_ca_file is set (" + tlsClientCaFile
        + ") but tls_cert_file and tls_key_file are not: client certificates need TLS on the broker port");
    usersFile = usersFile == null || usersFile.isBlank() ? null : usersFile;
    // Refused here, before anything binds: an open broker on a network is a decision, not a default.
    require(allowAnonymous != null || usersFile != null || isLoopback(host), "host \"" + host
        + "\" is not a loopback address and no users_file is set: anyone who reaches the port could read, ack and "
        + "create every topic. Set users_file (docs/SECURITY.md), or set allow_anonymous to true to serve "
        + "anonymous clients on purpose");
    require(maxConnectionsPerUser >= 1, "max_connections_per_user must be at least 1, was " + maxConnectionsPerUser);
    require(maxConnectionsPerAddress >= 1, "max_connections_per_address must be at least 1, was " + maxConnectionsPerAddress);
    require(maxTopicsPerUser >= 1, "max_topics_per_user must be at least 1, was " + maxTopicsPerUser);
    require(stompPort >= -1 && stompPort <= 65535, "stomp_port must be -1 (off) or 0..65535, was " + stompPort);
    require(stompPort <= 0 || stompPort != port, "stomp_port must differ from port (" + port + ")");
    require(stompHeartBeatMs >= 0, "stomp_heart_beat_ms must not be negative, was " + stompHeartBeatMs);
    require(stompMaxHeaders >= 8, "stomp_max_headers must be at least 8 (a SUBSCRIBE needs several), was " + stompMaxHeaders);
    require(stompMaxHeaderBytes >= 64, "stomp_max_header_bytes must be at least 64, was " + stompMaxHeaderBytes);
    require(stompMaxUnconfirmedSends >= 1, "stomp_max_unconfirmed_sends must be at least 1, was " + stompMaxUnconfirmedSends);
    require(stompMaxTransactionFrames >= 1, "stomp_max_transaction_frames must be at least 1, was " + stompMaxTransactionFrames);
    require(httpHost != null && !httpHost.isBlank(), "http_host must not be empty");
    require(httpPort >= -1 && httpPort <= 65535, "http_port must be -1 (off) or 0..65535, was " + httpPort);
    // The API can purge and delete: on a network it must not answer strangers.
    require(httpPort == -1 || usersFile != null || isLoopback(httpHost) || Boolean.TRUE.equals(allowAnonymous),
        "http_host \"" + httpHost + "\" is not a loopback address and no users_file is set: anyone who reaches "
        + "http_port could purge and delete groups. Set users_file, set allow_anonymous to true, or set http_port to -1");
    require(maxDeliveries >= 0, "max_deliveries must not be negative (0: no limit), was " + maxDeliveries);
    // Basic auth sends the password with every request: on a network, only inside TLS.
    require(httpPort == -1 || usersFile == null || isLoopback(httpHost) || !tlsCertFile.isEmpty() || httpAllowPlainAuth,
        "http_host \"" + httpHost + "\" is not a loopback address and users_file is set, but tls_cert_file is not: "
        + "every HTTP request would carry a password in clear. Set tls_cert_file and tls_key_file (the HTTP listener "
        + "uses them too), or set http_allow_plain_auth to true if TLS ends in front of the broker");
    // A year, as the longest delay_ms or ttl_ms a publish may name: a longer window is a mistake.
    require(dedupWindowMs >= 1 && dedupWindowMs <= 31_536_000_000L,
        "dedup_window_ms must be 1..31536000000 (a year), was " + dedupWindowMs);
    require(commitWaitUs >= 0 && commitWaitUs <= 100_000,
        "commit_wait_us must be 0..100000 (a tenth of a second), was " + commitWaitUs);
  }

  /** Whether the STOMP listener runs; see {@code stomp_port}. */
  @JsonIgnore // derived from stomp_port
  public boolean isStompEnabled() {
    return stompPort >= 0;
  }

  @JsonIgnore // derived from http_port
  public boolean hasHttp() {
    return httpPort != -1;
  }

  /** Whether clients without credentials are served; see {@code allow_anonymous}. */
  public boolean anonymousAllowed() {
    return allowAnonymous != null ? allowAnonymous : usersFile == null && isLoopback(host);
  }

  /**
   * A loopback host by its text alone: no name lookup (this runs while configuration is read, and a
   * lookup may block or lie). {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}.
   */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost") || LOOPBACK_V4.matcher(h).matches()
        || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  @JsonIgnore // derived from storage, not a setting of its own
  public boolean isDurable() {
    return "durable".equals(storage);
  }

  @JsonIgnore // derived from tls_cert_file, not a setting of its own
  public boolean isTls() {
    return !tlsCertFile.isEmpty();
  }

  @JsonIgnore // derived from tls_client_ca_file
  public boolean requiresClientCertificates() {
    return !tlsClientCaFile.isEmpty();
  }

  /**
   * The defaults. Topic limits keep a 2-core broker with a 1 GiB heap healthy: a million small
   * messages or 128 MiB of payload per topic, whichever comes first, before producers are paused.
   *
   * <p>Frames in progress: 64 MiB is 64 maximum-size frames arriving at once, far more than honest
   * clients on one broker need; a pending body can occupy twice its size in the parser's growing
   * buffer, so they hold at most about 128 MiB, an eighth of the default 1 GiB heap, whatever
   * thousands of connections announce. 30 s lets a 1 MiB frame arrive over a link of 35 KB/s; a
   * frame slower than that is stuck or hostile.
   *
   * <p>Quotas: 10,000 topics, each with its log files, and 1,000 groups per topic are far beyond what
   * one node's applications use, yet keep what a client creating names in a loop costs in the tens
   * of megabytes of heap instead of letting it grow without bound.
   *
   * <p>TLS is off: the seed's clients speak plain TCP, and a certificate is the operator's to give.
   *
   * <p>Per user and address: 1,000 connections is more than any one application's pool, yet ten
   * of them are needed to take all of {@code max_connections}; 1,000 topics a user is a tenth of
   * {@code max_topics}, so one user going wild leaves room for the others.
   *
   * <p>STOMP: 61613 is the port every STOMP client tries first. A 10 s heart-beat notices a dead
   * peer within 20 s at the cost of one byte each way per idle connection every 10 s. 64 headers of
   * 8 KiB are far more than a STOMP client sends (RabbitMQ's plugin and ActiveMQ take fewer), and
   * bound a frame's headers to half a megabyte whatever max_frame_bytes says. 1,000 unconfirmed
   * SENDs match the {@code producer} command's default window, so one producer runs at full speed
   * without holding more than 1,000 messages' worth of memory; 1,000 frames a transaction is
   * vertx-stomp's own default.
   *
   * <p>HTTP: on loopback, port 8081 beside the broker's 8080, so a fresh broker shows its dashboard
   * to its own machine only. {@code /metrics} is open: Prometheus scrapes without credentials by
   * default (as with rabbitmq_prometheus), and the figures name topics and groups, never payloads.
   *
   * <p>{@code max_deliveries} 0: a seed broker retries for ever and never moves a message out of
   * its topic behind a consumer's back; dead letters are something an operator asks for.
   *
   * <p>{@code dedup_window_ms} 120,000: two minutes covers a producer's retries after a lost
   * {@code ok} (reconnect and resend take seconds) with a wide margin, while the keys it keeps
   * stay few (at most {@code DedupWindow.MAX_KEYS_PER_TOPIC} per topic in any case).
   *
   * <p>{@code commit_wait_us} 0: measured on this project's machine (docs/FOOTPRINT.md), letting a
   * commit wait up to 1 ms for company saved about a fifth of the broker's CPU at 50,000 msg/s but
   * cost 7 % of the durable 4P/4C throughput at saturation and a millisecond of median latency, for
   * the same p99; an operator who runs at a steady moderate rate may take that trade.
   */
  public static BrokerConfig defaults() {
    return new BrokerConfig("127.0.0.1", 8080, 1024 * 1024, 5_000, 256, 10_000, 10_000, 10_000,
        true, List.of(), 1_000_000, 128L * 1024 * 1024, "pause",
        "durable", "./data", "always", 100, 64L * 1024 * 1024, 0, 0, 0, 5_000, 32L * 1024 * 1024,
        64L * 1024 * 1024, 30_000,
        10_000, 1_000,
        1024,
        "", "", "",
        null, null, 1_000, 1_000, 1_000,
        61613, 10_000, 64, 8 * 1024, 1_000, 1_000,
        "127.0.0.1", 8081, true,
        0,
        false, 120_000,
        0);
  }

  public boolean rejectsWhenFull() {
    return "reject".equals(overflow);
  }

  /** The settings as snake_case keys and values, in declaration order. */
  public Map<String, Object> toMap() {
    return RecordSettings.toMap(this);
  }

  /** These settings with some replaced; values may be strings ({@code "500"}) as from a command line. */
  public BrokerConfig with(Map<String, ?> overrides) {
    Map<String, Object> merged = toMap();
    overrides.forEach((key, value) -> merged.put(key,
        // A command line gives a list as "a,b,c".
        "topics".equals(key) && value instanceof String list ? splitList(list) : value));
    // Plain values without databind; a mistyped or unknown one gets databind's coercion and words.
    BrokerConfig plain = RecordSettings.build(merged);
    return plain != null ? plain : DatabindSettings.convert(merged);
  }

  /**
   * Defaults overlaid with settings given as JSON text, such as a verticle's {@code -conf};
   * {@code source} names it in errors. Parsed here rather than taken from Vert.x's JsonObject,
   * whose arrays are no Java lists.
   */
  public static BrokerConfig parse(String json, String source) {
    return ConfigFiles.parse(json, source);
  }

  /** Defaults overlaid with a JSON file of settings; see {@link ConfigFiles#load}. */
  public static BrokerConfig load(Path file) throws IOException {
    return ConfigFiles.load(file);
  }

  /** Parses {@code key=value}. */
  public static Map.Entry<String, String> parseAssignment(String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected key=value, got \"" + assignment + "\"");
    }
    return Map.entry(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
  }

  private static List<String> splitList(String list) {
    return list.isBlank() ? List.of() : List.of(list.split("\\s*,\\s*"));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
