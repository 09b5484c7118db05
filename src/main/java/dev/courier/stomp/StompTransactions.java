package dev.courier.stomp;

import io.vertx.ext.stomp.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's open transactions: the SENDs and ACKs of each, held until COMMIT (they then take
 * effect in order) or ABORT (dropped). Bounded in frames per transaction, transactions per
 * connection, and body bytes over all of them: a connection holds at most one max_frame_bytes of
 * uncommitted bodies, the memory one frame may claim anyway.
 */
final class StompTransactions {
  private final int maxFrames;
  private final int maxTransactions;
  private final long maxBodyBytes;
  private final Map<String, List<Frame>> open = new HashMap<>();
  private long bodyBytes;

  StompTransactions(int maxFrames, int maxTransactions, long maxBodyBytes) {
    this.maxFrames = maxFrames;
    this.maxTransactions = maxTransactions;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Null when begun; else why not. */
  String begin(String transaction) {
    if (open.containsKey(transaction)) {
      return "transaction \"" + transaction + "\" has begun already";
    }
    if (open.size() >= maxTransactions) {
      return "this connection has " + maxTransactions + " transactions open already";
    }
    open.put(transaction, new ArrayList<>());
    return null;
  }

  /** Holds a frame until its transaction ends; null when held, else why not. */
  String hold(String transaction, Frame frame) {
    List<Frame> frames = open.get(transaction);
    if (frames == null) {
      return "no transaction \"" + transaction + "\": BEGIN it first";
    }
    if (frames.size() >= maxFrames) {
      return "transaction \"" + transaction + "\" holds stomp_max_transaction_frames=" + maxFrames + " frames already";
    }
    int size = frame.getBody() == null ? 0 : frame.getBody().length();
    if (bodyBytes + size > maxBodyBytes) {
      return "open transactions would hold more than max_frame_bytes=" + maxBodyBytes + " bytes of bodies";
    }
    bodyBytes += size;
    frames.add(frame);
    return null;
  }

  /** Ends a transaction and gives its frames, in order; null when there is no such transaction. */
  List<Frame> abort(String transaction) {
    List<Frame> frames = open.remove(transaction);
    if (frames != null) {
      for (Frame frame : frames) {
        bodyBytes -= frame.getBody() == null ? 0 : frame.getBody().length();
      }
    }
    return frames;
  }
}
