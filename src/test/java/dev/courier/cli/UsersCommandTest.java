package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.security.Permission;
import dev.courier.security.User;
import dev.courier.security.Users;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UsersCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code courier args...} with {@code stdin} as standard input; returns the exit code. */
  static int run(String stdin, StringWriter out, StringWriter err, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      return new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void addWritesTheUserWithAHashOfThePasswordFromStdin() throws IOException {
    Path file = dir.resolve("users.json");
    int code = run("carol-pw\n", out, err, "users", "add", "carol", "--file", file.toString(), "--password-stdin",
        "--publish", "orders.*", "--consume", "*,!payroll", "--cost", "4");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("added user carol"), out.toString());
    assertFalse(Files.readString(file).contains("carol-pw"), "the password itself is never written");
    User carol = Users.load(file).find("carol");
    assertEquals(List.of("orders.*"), carol.permissions().patterns(Permission.PUBLISH).patterns());
    assertEquals(List.of("*", "!payroll"), carol.permissions().patterns(Permission.CONSUME).patterns());
    assertEquals(List.of(), carol.permissions().patterns(Permission.ADMIN).patterns());
    assertNotNull(Users.load(file).authenticate("carol", "carol-pw"));
    assertNull(Users.load(file).authenticate("carol", "other"));
  }

  @Test
  void addingAgainReplacesTheUserAndKeepsTheOthers() throws IOException {
    Path file = dir.resolve("users.json");
    assertEquals(0, run("a\n", out, err, "users", "add", "a", "--file", file.toString(), "--password-stdin", "--cost", "4"));
    assertEquals(0, run("b\n", out, err, "users", "add", "b", "--file", file.toString(), "--password-stdin", "--cost", "4"));
    assertEquals(0, run("a2\n", out, err, "users", "add", "a", "--file", file.toString(), "--password-stdin",
        "--cost", "4", "--admin", "*"));
    assertTrue(out.toString().contains("replaced user a"), out.toString());
    Users users = Users.load(file);
    assertEquals(2, users.size());
    assertNotNull(users.authenticate("a", "a2"));
    assertTrue(users.find("a").permissions().mayReadStats());
  }

  @Test
  void badInputIsUsageErrorAndLeavesTheFileAlone() throws IOException {
    Path file = dir.resolve("users.json");
    assertEquals(2, run("pw\n", out, err, "users", "add", "../x", "--file", file.toString(), "--password-stdin"));
    assertEquals(2, run("pw\n", out, err, "users", "add", "x", "--file", file.toString(), "--password-stdin",
        "--publish", "a*b"));
    assertEquals(2, run("", out, err, "users", "add", "x", "--file", file.toString(), "--password-stdin"));
    assertEquals(2, run("\n", out, err, "users", "add", "x", "--file", file.toString(), "--password-stdin"));
    assertTrue(err.toString().contains("user name") && err.toString().contains("single *")
        && err.toString().contains("no password") && err.toString().contains("must not be empty"), err.toString());
    assertFalse(Files.exists(file));
  }
}
