package dev.courier.security;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.config.JsonValues;
import dev.courier.core.Names;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users file ({@code users_file}, docs/SECURITY.md): one JSON object whose {@code users} maps
 * each name to its bcrypt {@code password_hash} and its {@code publish}, {@code consume} and
 * {@code admin} topic patterns. Read once at start; the broker refuses to start on a file it
 * cannot read whole, so a typo never silently grants or drops access.
 */
public final class Users {
  private static final Set<String> USER_FIELDS = Set.of("password_hash", "publish", "consume", "admin");

  private final Map<String, User> byName;

  public Users(List<User> users) {
    Map<String, User> map = new LinkedHashMap<>();
    for (User user : users) {
      map.put(user.name(), user);
    }
    this.byName = Map.copyOf(map);
  }

  public static Users load(Path file) throws IOException {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("users_file " + file + ": " + e.getMessage(), e);
    }
  }

  /** An empty set of users when the file does not exist yet: what {@code courier users add} starts from. */
  public static Users loadOrEmpty(Path file) throws IOException {
    return Files.exists(file) ? load(file) : new Users(List.of());
  }

  static Users parse(byte[] json) throws IOException {
    Map<String, Object> root;
    try {
      root = JsonValues.readObject(json, true);
    } catch (IOException e) {
      // Databind reads the same text and says what is wrong in the words the file's users know.
      Databind.MAPPER.readTree(json);
      throw e;
    }
    if (root == null) {
      // Not an object: still databind's error when the text is not JSON at all.
      Databind.MAPPER.readTree(json);
    }
    if (root == null || !(root.get("users") instanceof Map<?, ?> entries)) {
      throw new IllegalArgumentException("must be a JSON object with a \"users\" object");
    }
    List<User> users = new ArrayList<>();
    for (Map.Entry<?, ?> entry : entries.entrySet()) {
      users.add(user((String) entry.getKey(), entry.getValue()));
    }
    return new Users(users);
  }

  private static User user(String name, Object value) {
    checkName(name);
    if (!(value instanceof Map<?, ?> fields)) {
      throw new IllegalArgumentException("user \"" + name + "\" must be an object");
    }
    for (Object field : fields.keySet()) {
      if (!USER_FIELDS.contains(field)) {
        throw new IllegalArgumentException("user \"" + name + "\": unknown field \"" + field + "\"; known: " + USER_FIELDS);
      }
    }
    // A number or true is no bcrypt hash either: only a string can pass.
    String hash = fields.get("password_hash") instanceof String text ? text : null;
    if (!PasswordHash.isWellFormed(hash)) {
      throw new IllegalArgumentException("user \"" + name + "\": \"password_hash\" must be a bcrypt hash ($2y$...)");
    }
    return new User(name, hash, new Permissions(patterns(name, fields, Permission.PUBLISH),
        patterns(name, fields, Permission.CONSUME), patterns(name, fields, Permission.ADMIN)));
  }

  private static TopicPatterns patterns(String user, Map<?, ?> fields, Permission permission) {
    if (!fields.containsKey(permission.key())) {
      return TopicPatterns.NONE;
    }
    if (!(fields.get(permission.key()) instanceof List<?> list)) {
      throw new IllegalArgumentException("user \"" + user + "\": \"" + permission.key() + "\" must be a list of topic patterns");
    }
    List<String> patterns = new ArrayList<>();
    for (Object pattern : list) {
      if (!(pattern instanceof String text)) {
        throw new IllegalArgumentException("user \"" + user + "\": \"" + permission.key() + "\" holds a non-string");
      }
      patterns.add(text);
    }
    try {
      return new TopicPatterns(patterns);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("user \"" + user + "\": " + e.getMessage(), e);
    }
  }

  /** User names follow the topic name rule (they appear in logs), and "anonymous" is taken. */
  public static void checkName(String name) {
    if (!Names.isValid(name)) {
      throw new IllegalArgumentException("user name \"" + name + "\" must be " + Names.DESCRIPTION);
    }
    if (Principal.ANONYMOUS_NAME.equals(name)) {
      throw new IllegalArgumentException("user name \"anonymous\" is reserved for clients without credentials");
    }
  }

  public User find(String name) {
    return byName.get(name);
  }

  public int size() {
    return byName.size();
  }

  /**
   * The user whose password this is, or null. Blocking: a bcrypt check takes tens of milliseconds,
   * and an unknown name costs as long as a wrong password.
   */
  public User authenticate(String name, String password) {
    User user = byName.get(name);
    if (user == null) {
      PasswordHash.matchesNobody(password);
      return null;
    }
    return PasswordHash.matches(user.passwordHash(), password) ? user : null;
  }

  /** These users with {@code user} added, or replacing the one of the same name. */
  public Users with(User user) {
    List<User> users = new ArrayList<>(byName.values());
    users.removeIf(u -> u.name().equals(user.name()));
    users.add(user);
    return new Users(users);
  }

  /** Writes the file atomically: a temporary file beside it, forced, then renamed over it. */
  public void write(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    Files.write(temp, Databind.encode(byName.values()));
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Jackson databind, for writing the file ({@code courier users add}) and for the words of a
   * reading error: a class of its own so that a broker reading a good file at start never loads
   * databind's classes (docs/FOOTPRINT.md, "Idle broker").
   */
  private static final class Databind {
    static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(SerializationFeature.INDENT_OUTPUT);

    static byte[] encode(Collection<User> byName) throws IOException {
      ObjectNode users = MAPPER.createObjectNode();
      byName.stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(user -> {
        ObjectNode node = users.putObject(user.name());
        node.put("password_hash", user.passwordHash());
        for (Permission permission : Permission.values()) {
          ArrayNode list = node.putArray(permission.key());
          user.permissions().patterns(permission).patterns().forEach(list::add);
        }
      });
      ObjectNode root = MAPPER.createObjectNode();
      root.set("users", users);
      return MAPPER.writeValueAsBytes(root);
    }
  }
}
