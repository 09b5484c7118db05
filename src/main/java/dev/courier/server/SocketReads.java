package dev.courier.server;

import io.netty.channel.ChannelConfig;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;

/**
 * A connection's socket as the frame decoder reads it, with a pause that stops reading at once.
 *
 * <p>{@link NetSocket#pause()} alone only stops handing data out: Vert.x keeps reading and queues
 * up to 16 reads of up to 64 KiB each before it stops the channel, about 1 MiB per paused
 * connection, so 2,000 connections waiting for frame budget held 2 GB and ended the broker in
 * {@code OutOfMemoryError}. Turning the channel's auto-read off as well ends the read loop after
 * the read in hand, so a paused connection holds at most that one read.
 */
final class SocketReads implements ReadStream<Buffer> {
  private final NetSocket socket;
  private final ChannelConfig channel;

  SocketReads(NetSocket socket) {
    this.socket = socket;
    this.channel = socket instanceof NetSocketInternal internal
        ? internal.channelHandlerContext().channel().config() : null;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    socket.handler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    socket.endHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    socket.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    socket.pause();
    if (channel != null) {
      channel.setAutoRead(false);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (channel != null) {
      channel.setAutoRead(true);
    }
    socket.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return resume();
  }
}
