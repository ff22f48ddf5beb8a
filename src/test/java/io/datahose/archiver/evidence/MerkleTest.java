package io.datahose.archiver.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Merkle (RFC 9162 §2.1)")
class MerkleTest {

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] rfcLeaf(String hex) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update((byte) 0);
    d.update(HEX.parseHex(hex));
    return d.digest();
  }

  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Merkle.leafHash(i + 1, new byte[32], 1_000L * i));
    }
    return out;
  }

  @Test
  @DisplayName("matches the Certificate Transparency test vectors (8 leaves)")
  void ctVectors() throws Exception {
    String[] data = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};
    List<byte[]> leaves = new ArrayList<>();
    for (String d : data) {
      leaves.add(rfcLeaf(d));
    }
    assertThat(HEX.formatHex(Merkle.root(leaves.subList(0, 1))))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    assertThat(HEX.formatHex(Merkle.root(leaves)))
        .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    assertThat(HEX.formatHex(Merkle.root(List.of())))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  @DisplayName("the compact range's root equals the tree hash at every size, and reports each completed subtree")
  void compactRange() {
    List<byte[]> all = leaves(70);
    CompactRange range = new CompactRange();
    List<String> completed = new ArrayList<>();
    for (int n = 1; n <= all.size(); n++) {
      range.append(all.get(n - 1), (level, index, hash) -> {
        long start = index << level;
        assertThat(hash).isEqualTo(Merkle.fromLeaves(all).hash(start, start + (1L << level)));
        completed.add(level + ":" + index);
      });
      assertThat(range.root()).isEqualTo(Merkle.root(all.subList(0, n)));
      CompactRange copy = CompactRange.of(range.size(), range.packed());
      assertThat(copy.root()).isEqualTo(range.root());
    }
    assertThat(completed).contains("1:0", "6:0", "2:16").hasSize(70 - Long.bitCount(70));
  }

  @Test
  @DisplayName("every inclusion proof verifies, and fails for another leaf, index or root")
  void inclusion() {
    List<byte[]> all = leaves(33);
    Merkle.Subtrees tree = Merkle.fromLeaves(all);
    for (int n = 1; n <= all.size(); n++) {
      byte[] root = Merkle.root(all.subList(0, n));
      for (int m = 0; m < n; m++) {
        List<byte[]> path = Merkle.inclusionProof(m, n, tree);
        assertThat(Merkle.verifyInclusion(m, n, all.get(m), path, root)).isTrue();
        assertThat(Merkle.verifyInclusion(m, n, all.get((m + 1) % all.size()), path, root)).isFalse();
        if (n > 1) {
          assertThat(Merkle.verifyInclusion((m + 1) % n, n, all.get(m), path, root)).isFalse();
          assertThat(Merkle.verifyInclusion(m, n, all.get(m), path, all.get(0))).isFalse();
        }
      }
    }
  }

  @Test
  @DisplayName("every consistency proof verifies, and fails for a changed old tree, root or proof")
  void consistency() {
    List<byte[]> all = leaves(33);
    Merkle.Subtrees tree = Merkle.fromLeaves(all);
    for (int n = 1; n <= all.size(); n++) {
      byte[] second = Merkle.root(all.subList(0, n));
      for (int m = 1; m <= n; m++) {
        byte[] first = Merkle.root(all.subList(0, m));
        List<byte[]> proof = Merkle.consistencyProof(m, n, tree);
        assertThat(Merkle.verifyConsistency(m, n, first, second, proof)).as("%d -> %d", m, n).isTrue();
        List<byte[]> changed = new ArrayList<>(all.subList(0, m));
        changed.set(m - 1, all.get(32));
        byte[] otherFirst = Merkle.root(changed);
        if (m < 33) {
          assertThat(Merkle.verifyConsistency(m, n, otherFirst, second, proof)).isFalse();
        }
        if (!proof.isEmpty()) {
          List<byte[]> bad = new ArrayList<>(proof);
          bad.set(0, all.get(31));
          assertThat(Merkle.verifyConsistency(m, n, first, second, bad)).isFalse();
        }
      }
    }
  }
}
