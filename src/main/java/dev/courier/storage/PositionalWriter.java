package dev.courier.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The one call through which the log writes records. It exists so a test can make a write fail
 * half-way, which a real disk does rarely and a test cannot arrange otherwise.
 */
@FunctionalInterface
interface PositionalWriter {

  PositionalWriter FILE_CHANNEL = FileChannel::write;

  int write(FileChannel channel, ByteBuffer source, long position) throws IOException;
}
