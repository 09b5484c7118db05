package dev.courier.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.courier.config.WithoutDatabind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {
  private static final String HASH = PasswordHash.hash("pw", 4);

  @TempDir
  Path dir;

  @Test
  void aWrittenFileLoadsBackWithItsPermissions() throws IOException {
    Path file = dir.resolve("users.json");
    User alice = new User("alice", HASH, new Permissions(new TopicPatterns(List.of("orders.*")),
        new TopicPatterns(List.of("*", "!payroll")), TopicPatterns.NONE));
    Users.loadOrEmpty(file).with(alice).write(file);
    Users loaded = Users.load(file);
    assertEquals(1, loaded.size());
    assertEquals(alice.permissions(), loaded.find("alice").permissions());
    assertNotNull(loaded.authenticate("alice", "pw"));
    assertNull(loaded.authenticate("alice", "wrong"));
    assertNull(loaded.authenticate("mallory", "pw"));
  }

  @Test
  void addingAUserOfTheSameNameReplacesIt() {
    Users users = new Users(List.of(new User("alice", HASH, Permissions.ALL)))
        .with(new User("alice", HASH, new Permissions(null, null, null)));
    assertEquals(1, users.size());
    assertEquals(TopicPatterns.NONE, users.find("alice").permissions().publish());
  }

  @Test
  void aFileWithAnyMistakeIsRefusedWithItsReason() {
    assertRefused("[]", "\"users\" object");
    assertRefused("{\"users\":{\"alice\":{\"password_hash\":\"plain\"}}}", "bcrypt");
    assertRefused("{\"users\":{\"alice\":{\"password_hash\":\"" + HASH + "\",\"publsh\":[\"*\"]}}}", "unknown field \"publsh\"");
    assertRefused("{\"users\":{\"alice\":{\"password_hash\":\"" + HASH + "\",\"consume\":\"*\"}}}", "list of topic patterns");
    assertRefused("{\"users\":{\"alice\":{\"password_hash\":\"" + HASH + "\",\"consume\":[\"a*b\"]}}}", "single *");
    assertRefused("{\"users\":{\"../x\":{\"password_hash\":\"" + HASH + "\"}}}", "user name");
    assertRefused("{\"users\":{\"anonymous\":{\"password_hash\":\"" + HASH + "\"}}}", "reserved");
    assertRefused("{\"users\":{\"a\":{\"password_hash\":\"" + HASH + "\"},\"a\":{\"password_hash\":\"" + HASH + "\"}}}",
        "Duplicate");
  }

  @Test
  void aGoodUsersFileIsReadWithoutJacksonDatabind() throws Exception {
    Path file = dir.resolve("users.json");
    new Users(List.of(new User("alice", HASH, new Permissions(new TopicPatterns(List.of("orders.*")),
        TopicPatterns.NONE, TopicPatterns.NONE)))).write(file);
    try (WithoutDatabind loader = new WithoutDatabind(Users.class, JsonFactory.class, OpenBSDBCrypt.class)) {
      Object loaded = loader.loadClass(Users.class.getName()).getMethod("load", Path.class).invoke(null, file);
      assertEquals(1, loaded.getClass().getMethod("size").invoke(loaded));
      assertEquals(Users.load(file).find("alice").toString(),
          String.valueOf(loaded.getClass().getMethod("find", String.class).invoke(loaded, "alice")));
      assertEquals(List.of(), loader.refused());
    }
  }

  private void assertRefused(String json, String reason) {
    Path file = dir.resolve("bad.json");
    IOException e = assertThrows(IOException.class, () -> {
      Files.write(file, json.getBytes(StandardCharsets.UTF_8));
      Users.load(file);
    });
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
