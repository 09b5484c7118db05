package dev.courier.storage;

import dev.courier.core.GroupPosition;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Where every group of a topic stood at one point of its event log, so that recovery replays only
 * the events after it. Written atomically: a temporary file, forced, then renamed over the old one.
 *
 * <pre>
 *   "CRCP" | u16 version (1) | u32 CRC32C of the body | body:
 *     u64 lastEventSeq | u32 groups | per group: UTF name, u64 nextId,
 *       u32 pending, (u64 id, u32 attempts)*, u32 ackedAhead, (u64 id)*
 * </pre>
 *
 * Version rule: a reader accepts every version it knows; a writer writes the newest. A checkpoint
 * is rewritten whole each time, so an old version disappears at the first checkpoint after an
 * upgrade.
 */
public record Checkpoint(long lastEventSeq, List<GroupPosition> positions) {
  static final String FILE_NAME = "checkpoint";
  private static final int MAGIC = 0x43524350; // "CRCP"
  private static final short VERSION = 1;
  /** Magic, version and CRC. */
  private static final int HEADER_BYTES = 10;

  public Checkpoint {
    positions = List.copyOf(positions);
  }

  static Checkpoint empty() {
    return new Checkpoint(0, List.of());
  }

  /**
   * The checkpoint in {@code dir}, or an empty one if there is none yet. A damaged one is never
   * taken for an empty one: that would forget every group of the topic (see docs/STORAGE.md).
   *
   * @throws DamagedFileException naming the file, what is wrong and how to proceed
   */
  static Checkpoint read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    byte[] bytes = AtomicFile.readIfPresent(file);
    if (bytes == null) {
      return empty();
    }
    if (bytes.length < HEADER_BYTES) {
      throw damaged(file, bytes.length == 0 ? "is empty (0 bytes)" : "is truncated (" + bytes.length + " bytes)");
    }
    ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_BYTES);
    if (header.getInt() != MAGIC) {
      throw damaged(file, "is not a checkpoint file (bad magic)");
    }
    short version = header.getShort();
    if (version > VERSION) {
      throw new DamagedFileException(file, "has checkpoint format version " + version + "; this build reads up to "
          + VERSION, "Run a newer Courier");
    }
    if (version < VERSION) {
      throw damaged(file, "has an unknown format version " + version);
    }
    int crc = header.getInt();
    CRC32C check = new CRC32C();
    check.update(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
    if ((int) check.getValue() != crc) {
      throw damaged(file, "fails its CRC32C check (" + bytes.length + " bytes)");
    }
    try (DataInputStream in = new DataInputStream(
        new java.io.ByteArrayInputStream(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES))) {
      return readBody(in);
    } catch (java.io.EOFException e) {
      // Only a writer bug gets here: the CRC matched a body that ends too soon.
      throw damaged(file, "ends inside its body");
    }
  }

  private static Checkpoint readBody(DataInputStream in) throws IOException {
    long lastEventSeq = in.readLong();
    int groups = in.readInt();
    List<GroupPosition> positions = new ArrayList<>(Math.min(groups, 1024));
    for (int g = 0; g < groups; g++) {
      String name = in.readUTF();
      long nextId = in.readLong();
      int pendingCount = in.readInt();
      List<GroupPosition.PendingDelivery> pending = new ArrayList<>(Math.min(pendingCount, 1024));
      for (int i = 0; i < pendingCount; i++) {
        pending.add(new GroupPosition.PendingDelivery(in.readLong(), in.readInt()));
      }
      int aheadCount = in.readInt();
      Set<Long> ackedAhead = new HashSet<>();
      for (int i = 0; i < aheadCount; i++) {
        ackedAhead.add(in.readLong());
      }
      positions.add(new GroupPosition(name, nextId, pending, ackedAhead));
    }
    return new Checkpoint(lastEventSeq, positions);
  }

  /**
   * Refuse rather than guess: the group events the checkpoint covered were deleted when it was
   * written, so no file left can say where the groups stood.
   */
  private static DamagedFileException damaged(Path file, String problem) {
    String topic = file.getParent() == null ? "?" : String.valueOf(file.getParent().getFileName());
    return new DamagedFileException(file, problem, "The broker does not start on it. To start anyway, move it"
        + " away (e.g. mv " + file.toAbsolutePath() + " " + file.toAbsolutePath() + ".damaged): every group of topic "
        + topic + " is then forgotten; a consumer that registers its group again (start earliest, the default)"
        + " starts from the oldest message still on disk, so it may receive again messages it had acked (none is lost)");
  }

  void write(Path dir) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(body)) {
      out.writeLong(lastEventSeq);
      out.writeInt(positions.size());
      for (GroupPosition position : positions) {
        out.writeUTF(position.group());
        out.writeLong(position.nextId());
        out.writeInt(position.pending().size());
        for (GroupPosition.PendingDelivery pending : position.pending()) {
          out.writeLong(pending.id());
          out.writeInt(pending.attempts());
        }
        out.writeInt(position.ackedAhead().size());
        for (long id : position.ackedAhead()) {
          out.writeLong(id);
        }
      }
    }
    byte[] bodyBytes = body.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(bodyBytes);
    ByteBuffer file = ByteBuffer.allocate(HEADER_BYTES + bodyBytes.length);
    file.putInt(MAGIC).putShort(VERSION).putInt((int) crc.getValue()).put(bodyBytes).flip();
    AtomicFile.write(dir.resolve(FILE_NAME), file);
  }
}
