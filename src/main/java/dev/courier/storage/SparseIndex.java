package dev.courier.storage;

import java.util.Arrays;

/**
 * Every {@value #INTERVAL_BYTES} bytes of a segment, the id and file position of the record that
 * starts there, so a read can begin near its first record instead of at the segment start.
 *
 * <p>Cost: 16 bytes of heap per entry, i.e. 256 KiB per GiB of log; in exchange a read scans at
 * most about {@value #INTERVAL_BYTES} bytes it does not return. Ids grow with positions, so a
 * lookup is a binary search over two parallel arrays.
 */
final class SparseIndex {

  static final int INTERVAL_BYTES = 64 * 1024;

  private long[] ids = new long[8];
  private long[] positions = new long[8];
  private int size;
  private long lastIndexedPosition = SegmentFormat.HEADER_BYTES;

  /** Called for every valid record in file order; keeps one in every interval. */
  void onRecord(long id, long position) {
    if (position - lastIndexedPosition < INTERVAL_BYTES) {
      return;
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      positions = Arrays.copyOf(positions, size * 2);
    }
    ids[size] = id;
    positions[size] = position;
    size++;
    lastIndexedPosition = position;
  }

  /** A position at or before the first record with an id of at least {@code id}. */
  long startPositionFor(long id) {
    int found = Arrays.binarySearch(ids, 0, size, id);
    int floor = found >= 0 ? found : -found - 2;
    return floor < 0 ? SegmentFormat.HEADER_BYTES : positions[floor];
  }
}
