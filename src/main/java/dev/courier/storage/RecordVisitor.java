package dev.courier.storage;

import java.io.IOException;

/** Receives the records of a {@link SegmentedLog#scan}, one at a time, in id order. */
@FunctionalInterface
public interface RecordVisitor {
  void visit(LogRecord record) throws IOException;
}
