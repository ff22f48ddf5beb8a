package io.datahose.archiver.evidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact range [0, size) of a Merkle log: the roots of the perfect subtrees that the binary digits of size
 * make, largest (leftmost) first, which is all an append needs. Appending a leaf merges equal-sized subtrees and
 * reports each completed one ({@link Completed}); the root is the right-to-left fold of the subtree roots, which is
 * MTH of RFC 9162 §2.1.1. Serialized as the concatenation of its hashes (their levels follow from size). Mutable,
 * not thread-safe: one per transaction or per verification pass.
 */
public final class CompactRange {

  /** A perfect subtree that an append completed: {@code level} (leaves below = 2^level) and index at that level. */
  public interface Completed {
    void node(int level, long index, byte[] hash);
  }

  private long size;
  private final List<byte[]> roots = new ArrayList<>();

  /** @return the empty range */
  public CompactRange() {
  }

  /** @return the range of {@code size} leaves whose subtree roots are {@code packed} (see the class comment) */
  public static CompactRange of(long size, byte[] packed) {
    if (packed.length != Long.bitCount(size) * Merkle.HASH) {
      throw new IllegalStateException("compact range of " + size + " leaves holds " + packed.length + " bytes");
    }
    CompactRange range = new CompactRange();
    range.size = size;
    for (int i = 0; i < packed.length; i += Merkle.HASH) {
      range.roots.add(Arrays.copyOfRange(packed, i, i + Merkle.HASH));
    }
    return range;
  }

  public long size() {
    return size;
  }

  /** Appends one leaf hash; {@code completed} hears every interior subtree this completes (may be null). */
  public void append(byte[] leaf, Completed completed) {
    roots.add(leaf);
    long newSize = size + 1;
    int level = 0;
    // each trailing 1-bit of size merges two equal subtrees
    for (long s = size; (s & 1) == 1; s >>= 1) {
      byte[] right = roots.remove(roots.size() - 1);
      byte[] left = roots.remove(roots.size() - 1);
      byte[] merged = Merkle.node(left, right);
      roots.add(merged);
      level++;
      if (completed != null) {
        completed.node(level, (newSize >> level) - 1, merged);
      }
    }
    size = newSize;
  }

  /** @return MTH of the range (SHA-256 of nothing when empty) */
  public byte[] root() {
    if (roots.isEmpty()) {
      return Merkle.emptyRoot();
    }
    byte[] r = roots.get(roots.size() - 1);
    for (int i = roots.size() - 2; i >= 0; i--) {
      r = Merkle.node(roots.get(i), r);
    }
    return r;
  }

  /** @return the subtree roots concatenated, largest first */
  public byte[] packed() {
    byte[] out = new byte[roots.size() * Merkle.HASH];
    for (int i = 0; i < roots.size(); i++) {
      System.arraycopy(roots.get(i), 0, out, i * Merkle.HASH, Merkle.HASH);
    }
    return out;
  }
}
