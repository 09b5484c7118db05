package dev.courier.client;

import dev.courier.protocol.Frame;
import io.vertx.core.json.JsonObject;

/**
 * Who a client says it is to a broker with a users file: {@code user} and {@code password} go in
 * its register frame. {@link #NONE} registers as the seed's clients do, anonymously.
 */
public record Credentials(String user, String password) {
  public static final Credentials NONE = new Credentials(null, null);

  public Credentials {
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("a user needs a password, and a password a user");
    }
  }

  public boolean isPresent() {
    return user != null;
  }

  /** {@code register} with these credentials; unchanged (so still seed-shaped) without any. */
  public Frame.Register apply(Frame.Register register) {
    if (!isPresent()) {
      return register;
    }
    return new Frame.Register(register.role(), register.topic(), register.group(), register.prefetch(),
        register.start(), register.client(), register.extended(), user, password);
  }

  /** From a verticle's {@code -conf}: {@code user} and {@code password}, both or neither. */
  public static Credentials fromJson(JsonObject json) {
    String user = json.getString("user");
    String password = json.getString("password");
    return user == null && password == null ? NONE : new Credentials(user, password);
  }

  /** Never the password: options are logged and printed. */
  @Override
  public String toString() {
    return isPresent() ? "Credentials[user=" + user + ", password=***]" : "Credentials[none]";
  }
}
