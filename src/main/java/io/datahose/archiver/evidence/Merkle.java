package io.datahose.archiver.evidence;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The Merkle tree hash of RFC 9162 §2.1 (Certificate Transparency v2) over the raw log, in seq order: leaf index =
 * seq - 1, leaf hash = SHA-256(0x00 ‖ seq ‖ rawSha256 ‖ received_at) with seq and received_at (epoch milliseconds)
 * as 8-byte big-endian integers and rawSha256 as its 32 bytes; interior node = SHA-256(0x01 ‖ left ‖ right); the
 * tree of n leaves splits at the largest power of two below n. Inclusion and consistency proofs are generated from
 * any {@link Subtrees} and verified exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 say. Pure and thread-safe.
 */
public final class Merkle {

  /** Hash length in bytes. */
  public static final int HASH = 32;

  private Merkle() {
  }

  /** The hash of any range of leaves [start, end) of one tree, by whatever means is cheap (stored nodes, leaves). */
  public interface Subtrees {
    /** @return MTH(D[start:end]), 0 <= start < end */
    byte[] hash(long start, long end);
  }

  /** @return the leaf hash of the event at {@code seq} (see the class comment) */
  public static byte[] leafHash(long seq, byte[] rawSha256, long receivedAtMillis) {
    if (rawSha256.length != HASH) {
      throw new IllegalArgumentException("rawSha256 must be 32 bytes");
    }
    MessageDigest d = sha256();
    d.update((byte) 0);
    d.update(ByteBuffer.allocate(8).putLong(seq).array());
    d.update(rawSha256);
    d.update(ByteBuffer.allocate(8).putLong(receivedAtMillis).array());
    return d.digest();
  }

  /** @return as {@link #leafHash(long, byte[], long)} with rawSha256 in hex */
  public static byte[] leafHash(long seq, String rawSha256Hex, long receivedAtMillis) {
    return leafHash(seq, HexFormat.of().parseHex(rawSha256Hex), receivedAtMillis);
  }

  /** @return SHA-256(0x01 ‖ left ‖ right) */
  /**
   * @return the leaf of a seq that holds no event because a restore discarded it: {@link #leafHash} with an all-zero
   *     rawSha256 and the restore's time
   */
  public static byte[] voidLeaf(long seq, long restoredAtMillis) {
    return leafHash(seq, new byte[HASH], restoredAtMillis);
  }

  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 1);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** @return the root of the empty tree, SHA-256 of nothing */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** @return the largest power of two strictly below {@code n} (n >= 2) */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  /** @return MTH(D[start:end]) computed from {@code leaves} (leaf hashes of that range, in order); tests, bundles */
  public static byte[] root(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      return emptyRoot();
    }
    return fromLeaves(leaves).hash(0, leaves.size());
  }

  /** @return subtrees computed from an in-memory list of all leaf hashes */
  public static Subtrees fromLeaves(List<byte[]> leaves) {
    return new Subtrees() {
      @Override
      public byte[] hash(long start, long end) {
        if (end - start == 1) {
          return leaves.get((int) start);
        }
        long k = split(end - start);
        return node(hash(start, start + k), hash(start + k, end));
      }
    };
  }

  /** @return the audit path of leaf {@code index} in the tree of {@code size} leaves (RFC 9162 §2.1.3.1) */
  public static List<byte[]> inclusionProof(long index, long size, Subtrees tree) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> path = new ArrayList<>();
    path(index, 0, size, tree, path);
    return path;
  }

  private static void path(long m, long start, long end, Subtrees tree, List<byte[]> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = split(n);
    if (m < k) {
      path(m, start, start + k, tree, out);
      out.add(tree.hash(start + k, end));
    } else {
      path(m - k, start + k, end, tree, out);
      out.add(tree.hash(start, start + k));
    }
  }

  /** @return the consistency proof from the tree of {@code first} leaves to that of {@code second} (§2.1.4.1) */
  public static List<byte[]> consistencyProof(long first, long second, Subtrees tree) {
    if (first < 0 || first > second) {
      throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
    }
    List<byte[]> proof = new ArrayList<>();
    if (first > 0 && first < second) {
      subproof(first, 0, second, true, tree, proof);
    }
    return proof;
  }

  private static void subproof(long m, long start, long end, boolean whole, Subtrees tree, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!whole) {
        out.add(tree.hash(start, end));
      }
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(m, start, start + k, whole, tree, out);
      out.add(tree.hash(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, tree, out);
      out.add(tree.hash(start, start + k));
    }
  }

  /** @return true when {@code path} proves leaf {@code index} with {@code leafHash} under {@code root} (§2.1.3.2) */
  public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root);
  }

  /** @return true when {@code proof} shows the tree of {@code second} leaves extends that of {@code first} (§2.1.4.2) */
  public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                          List<byte[]> proof) {
    if (first < 0 || first > second) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
    }
    if (first == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(first) == 1) {
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = node(c, fr);
        sr = node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
