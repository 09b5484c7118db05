package dev.courier.storage;

import dev.courier.core.DedupKey;
import dev.courier.core.GroupPosition;
import dev.courier.core.GroupSettings;
import dev.courier.core.Ordering;
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
 *   "CRCP" | u16 version (5) | u32 CRC32C of the body | body:
 *     u64 lastEventSeq | u32 groups | per group: UTF name, u64 nextId,
 *       u32 pending, (u64 id, u32 attempts, u64 notBeforeMillis)*, u32 ackedAhead, (u64 id)*,
 *       i32 maxDeliveries (-1: the broker's default), u8 has dead-letter topic, [UTF dead-letter topic],
 *       u64 delayedUpToMillis, u64 delayedUpToId, u8 ordering (0: none, 1: key, 2: single)
 *     | u32 dedup keys | per key: UTF dedupId, u64 messageId, u64 storedAtMillis
 * </pre>
 *
 * The delay watermark (the last delayed publish released to the groups, see docs/STORAGE.md) is
 * written only by version 4, and version 4 only when some delay was ever released: a broker that
 * never saw a delay writes version 2 or 3 as before. Older versions read as no watermark.
 *
 * The dedup keys are the topic's dedup window: retention may delete the segments that hold their
 * records once every group acked them, and the window must outlive that.
 *
 * The ordering byte is written only by version 5, and version 5 only when some group is ordered
 * (issue 13); versions before it read as groups without ordering. Each version is written only
 * when its newest field is needed, so an older build reads what a broker that never used it writes.
 * Version 1 (before message life cycles) has neither notBeforeMillis nor the group's settings:
 * read as 0 (retry at once) and the broker's defaults.
 *
 * Version rule: a reader accepts every version it knows; a writer writes the newest. A checkpoint
 * is rewritten whole each time, so an old version disappears at the first checkpoint after an
 * upgrade.
 */
public record Checkpoint(long lastEventSeq, List<GroupPosition> positions, List<DedupKey> dedupKeys) {
  static final String FILE_NAME = "checkpoint";
  private static final int MAGIC = 0x43524350; // "CRCP"
  private static final short VERSION = 5;
  private static final short WITH_DELAYS_VERSION = 4;
  private static final short WITH_DEDUP_VERSION = 3;
  private static final short FIRST_VERSION = 1;
  private static final short WITHOUT_DEDUP_VERSION = 2;
  /** Magic, version and CRC. */
  private static final int HEADER_BYTES = 10;

  public Checkpoint {
    positions = List.copyOf(positions);
    dedupKeys = List.copyOf(dedupKeys);
  }

  public Checkpoint(long lastEventSeq, List<GroupPosition> positions) {
    this(lastEventSeq, positions, List.of());
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
    if (version < FIRST_VERSION) {
      throw damaged(file, "has an unknown format version " + version);
    }
    int crc = header.getInt();
    CRC32C check = new CRC32C();
    check.update(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
    if ((int) check.getValue() != crc) {
      throw damaged(file, "fails its CRC32C check (" + bytes.length + " bytes)");
    }
    // Only a writer bug (or a file put there by hand) gets past the CRC with a body that does not
    // read; the refusal must still name the file and say how to proceed, like every other one.
    try (DataInputStream in = new DataInputStream(
        new java.io.ByteArrayInputStream(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES))) {
      Checkpoint checkpoint = readBody(in, file, version);
      if (in.available() > 0) {
        throw damaged(file, "has " + in.available() + " bytes after its body");
      }
      return checkpoint;
    } catch (java.io.EOFException e) {
      throw damaged(file, "ends inside its body");
    } catch (java.io.UTFDataFormatException e) {
      throw damaged(file, "has a group name that is not valid modified UTF-8");
    }
  }

  private static Checkpoint readBody(DataInputStream in, Path file, short version) throws IOException {
    long lastEventSeq = in.readLong();
    int groups = count(in, file, "groups");
    List<GroupPosition> positions = new ArrayList<>(Math.min(groups, 1024));
    for (int g = 0; g < groups; g++) {
      String name = in.readUTF();
      long nextId = in.readLong();
      int pendingCount = count(in, file, "pending deliveries");
      List<GroupPosition.PendingDelivery> pending = new ArrayList<>(Math.min(pendingCount, 1024));
      for (int i = 0; i < pendingCount; i++) {
        pending.add(new GroupPosition.PendingDelivery(in.readLong(), in.readInt(), version >= 2 ? in.readLong() : 0));
      }
      int aheadCount = count(in, file, "ids acked ahead");
      Set<Long> ackedAhead = new HashSet<>();
      for (int i = 0; i < aheadCount; i++) {
        ackedAhead.add(in.readLong());
      }
      GroupSettings settings = GroupSettings.DEFAULT;
      if (version >= 2) {
        int maxDeliveries = in.readInt();
        String deadLetterTopic = in.readBoolean() ? in.readUTF() : null;
        if (maxDeliveries < -1) {
          throw damaged(file, "has a negative max deliveries (" + maxDeliveries + ")");
        }
        settings = new GroupSettings(maxDeliveries == -1 ? null : maxDeliveries, deadLetterTopic);
      }
      long delayedUpToMillis = version >= 4 ? in.readLong() : 0;
      long delayedUpToId = version >= 4 ? in.readLong() : 0;
      if (version >= 5) {
        int code = in.readUnsignedByte();
        if (code > 2) {
          throw damaged(file, "has an unknown ordering (" + code + ")");
        }
        settings = new GroupSettings(settings.maxDeliveries(), settings.deadLetterTopic(),
            code == 1 ? Ordering.KEY : code == 2 ? Ordering.SINGLE : null);
      }
      positions.add(new GroupPosition(name, nextId, pending, ackedAhead, settings, delayedUpToMillis, delayedUpToId));
    }
    List<DedupKey> dedupKeys = new ArrayList<>();
    if (version >= 3) {
      int keys = count(in, file, "dedup keys");
      for (int i = 0; i < keys; i++) {
        dedupKeys.add(new DedupKey(in.readUTF(), in.readLong(), in.readLong()));
      }
    }
    return new Checkpoint(lastEventSeq, positions, dedupKeys);
  }

  /** A count that a negative value would turn into an IllegalArgumentException (found by CheckpointFuzzTest). */
  private static int count(DataInputStream in, Path file, String what) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw damaged(file, "has a negative count of " + what + " (" + count + ")");
    }
    return count;
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
    // Each version only when it is needed: a broker that never used a newer field stays readable by older builds.
    boolean ordered = positions.stream().anyMatch(p -> p.settings().effectiveOrdering() != Ordering.NONE);
    boolean delays = positions.stream().anyMatch(p -> p.delayedUpToMillis() != 0 || p.delayedUpToId() != 0);
    short version = ordered ? VERSION : delays ? WITH_DELAYS_VERSION
        : dedupKeys.isEmpty() ? WITHOUT_DEDUP_VERSION : WITH_DEDUP_VERSION;
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
          out.writeLong(pending.notBeforeMillis());
        }
        out.writeInt(position.ackedAhead().size());
        for (long id : position.ackedAhead()) {
          out.writeLong(id);
        }
        GroupSettings settings = position.settings();
        out.writeInt(settings.maxDeliveries() == null ? -1 : settings.maxDeliveries());
        out.writeBoolean(settings.deadLetterTopic() != null);
        if (settings.deadLetterTopic() != null) {
          out.writeUTF(settings.deadLetterTopic());
        }
        if (version >= WITH_DELAYS_VERSION) {
          out.writeLong(position.delayedUpToMillis());
          out.writeLong(position.delayedUpToId());
        }
        if (version >= VERSION) {
          out.writeByte(switch (settings.effectiveOrdering()) {
            case NONE -> 0;
            case KEY -> 1;
            case SINGLE -> 2;
          });
        }
      }
      if (version >= WITH_DEDUP_VERSION) {
        out.writeInt(dedupKeys.size());
      }
      for (DedupKey key : dedupKeys) {
        out.writeUTF(key.dedupId());
        out.writeLong(key.messageId());
        out.writeLong(key.storedAtMillis());
      }
    }
    byte[] bodyBytes = body.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(bodyBytes);
    ByteBuffer file = ByteBuffer.allocate(HEADER_BYTES + bodyBytes.length);
    file.putInt(MAGIC).putShort(version).putInt((int) crc.getValue()).put(bodyBytes).flip();
    AtomicFile.write(dir.resolve(FILE_NAME), file);
  }
}
