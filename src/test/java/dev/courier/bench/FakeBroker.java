package dev.courier.bench;

import dev.courier.protocol.Frame;
import dev.courier.protocol.FrameCodec;
import dev.courier.protocol.FrameDecoder;
import dev.courier.protocol.FrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A test double of the broker that speaks the same frames but misbehaves on purpose: it confirms
 * every publish, and then drops or doubles every tenth one. Consumers are served round-robin;
 * publishes that arrive before any consumer wait in a queue. All state lives on this verticle's
 * loop, where the server's connections are handled.
 */
final class FakeBroker extends VerticleBase {
  private static final int MAX_FRAME_BYTES = 1024 * 1024;
  private static final int EVERY = 10;

  enum Fault { DROP_EVERY_TENTH, DELIVER_EVERY_TENTH_TWICE }

  private final Fault fault;
  private final List<NetSocket> consumers = new ArrayList<>();
  private final Queue<Frame.Message> waiting = new ArrayDeque<>();
  private NetServer server;
  private long published;
  private int next;

  FakeBroker(Fault fault) {
    this.fault = fault;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    server.connectHandler(this::accept);
    return server.listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  private void accept(NetSocket socket) {
    FrameDecoder.reading(socket, MAX_FRAME_BYTES, new FrameDecoder.Listener() {
      @Override
      public void onFrame(Frame frame) {
        FakeBroker.this.onFrame(socket, frame);
      }

      @Override
      public void onInvalidFrame(FrameException error) {
        socket.close();
      }

      @Override
      public void onTruncated(int received, int expected) {
        socket.close();
      }
    });
    socket.closeHandler(v -> consumers.remove(socket));
  }

  private void onFrame(NetSocket socket, Frame frame) {
    if (frame instanceof Frame.Stats) {
      // The clients' handshake: a stats reply after register says the register was accepted.
      socket.write(FrameCodec.encode(new Frame.StatsReply(java.util.Map.of("topics", List.of()))));
    } else if (frame instanceof Frame.Register register && register.role() == Frame.Role.CONSUMER) {
      consumers.add(socket);
      while (!waiting.isEmpty()) {
        deliver(waiting.poll());
      }
    } else if (frame instanceof Frame.Publish publish) {
      socket.write(FrameCodec.encode(Frame.Ok.INSTANCE));
      long id = ++published;
      boolean tenth = id % EVERY == 0;
      if (tenth && fault == Fault.DROP_EVERY_TENTH) {
        return;
      }
      Frame.Message message = new Frame.Message(id, publish.payload());
      if (consumers.isEmpty()) {
        waiting.add(message);
        if (tenth) {
          waiting.add(message);
        }
      } else {
        deliver(message);
        if (tenth) {
          deliver(message);
        }
      }
    }
  }

  private void deliver(Frame.Message message) {
    NetSocket consumer = consumers.get(next++ % consumers.size());
    Buffer frame = FrameCodec.encode(message);
    consumer.write(frame);
  }
}
