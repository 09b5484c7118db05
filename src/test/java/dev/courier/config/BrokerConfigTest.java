package dev.courier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {

  @Test
  void confBrokerJsonListsEverySettingWithItsDefault() throws IOException {
    BrokerConfig fromFile = BrokerConfig.load(Path.of("conf/broker.json"));
    assertEquals(BrokerConfig.defaults(), fromFile);
    String text = Files.readString(Path.of("conf/broker.json"));
    for (String key : BrokerConfig.defaults().toMap().keySet()) {
      assertTrue(text.contains("\"" + key + "\""), "conf/broker.json lacks " + key);
    }
  }

  @Test
  void overridesGivenAsStringsAreConverted() {
    BrokerConfig config = BrokerConfig.defaults().with(Map.of("ack_timeout_ms", "500", "topics", "a, b",
        "overflow", "reject", "auto_create_topics", "false"));
    assertEquals(500, config.ackTimeoutMs());
    assertEquals(List.of("a", "b"), config.topics());
    assertTrue(config.rejectsWhenFull());
    assertEquals(false, config.autoCreateTopics());
  }

  @Test
  void anUnknownSettingIsAnErrorThatListsTheKnownOnes() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("ack_timeout", "5")));
    assertTrue(error.getMessage().contains("unknown setting \"ack_timeout\""), error.getMessage());
    assertTrue(error.getMessage().contains("ack_timeout_ms"), error.getMessage());
  }

  @Test
  void anInvalidValueSaysWhichSettingAndWhy() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("max_in_flight_per_consumer", "0")));
    assertTrue(error.getMessage().contains("max_in_flight_per_consumer must be at least 1"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(Map.of("overflow", "drop")));
    assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(Map.of("topics", "bad name")));
    assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(Map.of("port", "70000")));
    assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(Map.of("max_topics", "0")));
    assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("max_groups_per_topic", "0")));
    IllegalArgumentException wait = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("commit_wait_us", "-1")));
    assertTrue(wait.getMessage().contains("commit_wait_us must be 0..100000"), wait.getMessage());
    assertEquals(1000, BrokerConfig.defaults().with(Map.of("commit_wait_us", "1000")).commitWaitUs());
  }

  @Test
  void aCertificateWithoutAKeyIsRefusedNamingBothSettings() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("tls_cert_file", "/etc/courier/cert.pem")));
    assertTrue(error.getMessage().contains("tls_cert_file is set (/etc/courier/cert.pem) but tls_key_file is not"),
        error.getMessage());
    error = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("tls_key_file", "/etc/courier/key.pem")));
    assertTrue(error.getMessage().contains("tls_key_file is set (/etc/courier/key.pem) but tls_cert_file is not"),
        error.getMessage());
  }

  @Test
  void aClientCaWithoutTlsIsRefused() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("tls_client_ca_file", "/etc/courier/ca.pem")));
    assertTrue(error.getMessage().contains("tls_client_ca_file is set (/etc/courier/ca.pem)"), error.getMessage());
  }

  @Test
  void tlsIsOffByDefaultAndOnWithACertificateAndKey() {
    assertEquals(false, BrokerConfig.defaults().isTls());
    BrokerConfig tls = BrokerConfig.defaults().with(Map.of("tls_cert_file", "c.pem", "tls_key_file", "k.pem"));
    assertTrue(tls.isTls());
    assertEquals(false, tls.requiresClientCertificates());
    assertTrue(tls.with(Map.of("tls_client_ca_file", "ca.pem")).requiresClientCertificates());
  }

  @Test
  void aTopicNameThatIsAPathTrickIsRefusedWithTheRule() {
    for (String topic : new String[] {".", "..", ".hidden"}) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> BrokerConfig.defaults().with(Map.of("topics", "orders, " + topic)));
      assertTrue(error.getMessage().contains("topics: \"" + topic + "\" must be"), error.getMessage());
      assertTrue(error.getMessage().contains("not starting with a dot"), error.getMessage());
    }
    assertEquals(List.of("a.b", "-x", "_x"), BrokerConfig.defaults().with(Map.of("topics", "a.b, -x, _x")).topics());
  }

  @Test
  void aConfigFileOverlaysTheDefaults(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broker.json");
    Files.writeString(file, "{\"port\": 9000, \"max_topic_messages\": 10}");
    BrokerConfig config = BrokerConfig.load(file);
    assertEquals(9000, config.port());
    assertEquals(10, config.maxTopicMessages());
    assertEquals(BrokerConfig.defaults().ackTimeoutMs(), config.ackTimeoutMs());
  }

  @Test
  void anAssignmentSplitsAtTheFirstEqualsSign() {
    assertEquals(Map.entry("topics", "a=b"), BrokerConfig.parseAssignment("topics=a=b"));
    assertThrows(IllegalArgumentException.class, () -> BrokerConfig.parseAssignment("novalue"));
  }

  @Test
  void aValueOfTheWrongTypeNamesTheKeyTheValueAndWhatIsExpected() {
    assertEquals("ack_timeout_ms: \"abc\" is not a whole number (at most 9223372036854775807)",
        assertThrows(IllegalArgumentException.class,
            () -> BrokerConfig.defaults().with(Map.of("ack_timeout_ms", "abc"))).getMessage());
    assertEquals("max_frame_bytes: \"3000000000\" is not a whole number (at most 2147483647)",
        assertThrows(IllegalArgumentException.class,
            () -> BrokerConfig.defaults().with(Map.of("max_frame_bytes", "3000000000"))).getMessage());
    assertEquals("auto_create_topics: \"yes\" is not true or false",
        assertThrows(IllegalArgumentException.class,
            () -> BrokerConfig.defaults().with(Map.of("auto_create_topics", "yes"))).getMessage());
  }

  @Test
  void aBrokenConfigFileIsNamedWithTheLineAndColumnAndNoParserInternals(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broker.json");
    Files.writeString(file, "{\n  \"port\": 80,\n}\n");
    String message = assertThrows(IOException.class, () -> BrokerConfig.load(file)).getMessage();
    assertTrue(message.startsWith("config " + file + " line 3, column 1: not valid JSON: Unexpected character ('}'"),
        message);
    assertTrue(!message.contains("REDACTED") && !message.contains("StreamReadFeature"), message);
    Files.writeString(file, "[1]");
    assertEquals("config " + file + " line 1, column 1: expected a JSON object of settings, such as {\"port\": 8080}",
        assertThrows(IOException.class, () -> BrokerConfig.load(file)).getMessage());
    Files.writeString(file, "{\"topics\": {\"a\": 1}}");
    assertEquals("config " + file + ": topics: the value given is not a list of topic names"
        + " (a JSON array of strings, or a,b,c with --set)",
        assertThrows(IllegalArgumentException.class, () -> BrokerConfig.load(file)).getMessage());
  }

  @Test
  void aMissingConfigFileIsSaidToBeMissing(@TempDir Path dir) {
    Path file = dir.resolve("nonexistent.json");
    assertEquals("cannot read config " + file + ": no such file",
        assertThrows(IOException.class, () -> BrokerConfig.load(file)).getMessage());
  }

  @Test
  void aNonLoopbackHostWithoutUsersIsRefusedSayingWhy() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BrokerConfig.defaults().with(Map.of("host", "0.0.0.0")));
    assertTrue(e.getMessage().contains("not a loopback address") && e.getMessage().contains("users_file")
        && e.getMessage().contains("allow_anonymous"), e.getMessage());
  }

  @Test
  void aNonLoopbackHostStartsWithUsersOrWithAnonymousAllowedOnPurpose() {
    BrokerConfig withUsers = BrokerConfig.defaults().with(Map.of("host", "0.0.0.0", "users_file", "users.json"));
    assertEquals(false, withUsers.anonymousAllowed());
    BrokerConfig open = BrokerConfig.defaults().with(Map.of("host", "10.1.2.3", "allow_anonymous", "true"));
    assertEquals(true, open.anonymousAllowed());
  }

  @Test
  void anonymousIsAllowedByDefaultOnlyOnLoopbackWithoutUsers() {
    assertEquals(true, BrokerConfig.defaults().anonymousAllowed());
    assertEquals(true, BrokerConfig.defaults().with(Map.of("host", "localhost")).anonymousAllowed());
    assertEquals(true, BrokerConfig.defaults().with(Map.of("host", "::1")).anonymousAllowed());
    assertEquals(false, BrokerConfig.defaults().with(Map.of("users_file", "u.json")).anonymousAllowed());
    assertEquals(true, BrokerConfig.defaults().with(Map.of("users_file", "u.json", "allow_anonymous", true))
        .anonymousAllowed());
    assertEquals(false, BrokerConfig.defaults().with(Map.of("allow_anonymous", false)).anonymousAllowed());
  }

  @Test
  void onlyLiteralLoopbackAddressesCountAsLoopback() {
    assertTrue(BrokerConfig.isLoopback("127.0.0.1"));
    assertTrue(BrokerConfig.isLoopback("127.255.0.9"));
    assertTrue(BrokerConfig.isLoopback("[::1]"));
    for (String host : new String[] {"0.0.0.0", "127.0.0.1.example.com", "128.0.0.1", "127.0.0.256", "::", "example.com"}) {
      assertEquals(false, BrokerConfig.isLoopback(host), host);
    }
  }
}
