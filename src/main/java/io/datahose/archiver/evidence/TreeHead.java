package io.datahose.archiver.evidence;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A signed tree head: {log, archive id, tree size, root hash, time} signed with the archive key, plus the consistency
 * proof from the previous head of the same log. What is signed is {@link #signedBytes()}: the UTF-8 lines
 * {@code datahose-archiver tree head v1}, {@code log=…}, {@code archive=…}, {@code size=…}, {@code root=<hex>},
 * {@code time=<epoch ms>}, each ending in a line feed. JSON form: {@link #toJson()} (one file per head in
 * evidence.dir, one line per head in a bundle's tree-heads.jsonl). Immutable.
 *
 * @param previousSize     tree size of the previous head, or -1 for the first
 * @param consistencyProof RFC 9162 consistency proof from previousSize to treeSize (empty for the first)
 */
public record TreeHead(long id, String log, String archiveId, long treeSize, byte[] rootHash, long timestamp,
                       String keyFingerprint, byte[] signature, long previousSize, List<byte[]> consistencyProof) {

  private static final HexFormat HEX = HexFormat.of();

  /** @return the exact bytes the signature covers (see the class comment) */
  public byte[] signedBytes() {
    return signedBytes(log, archiveId, treeSize, rootHash, timestamp);
  }

  static byte[] signedBytes(String log, String archiveId, long treeSize, byte[] root, long timestamp) {
    return ("datahose-archiver tree head v1\nlog=" + log + "\narchive=" + archiveId + "\nsize=" + treeSize + "\nroot="
        + HEX.formatHex(root) + "\ntime=" + timestamp + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** @return true when the signature is {@code key}'s over {@link #signedBytes()} */
  public boolean signatureValid(PublicKey key) {
    return ArchiveKey.verify(key, signedBytes(), signature);
  }

  /** @return the head's root hash in hex */
  public String rootHex() {
    return HEX.formatHex(rootHash);
  }

  /** @return the file name of this head in evidence.dir */
  public String fileName() {
    return String.format("tree-head-%s-%012d.json", log, id);
  }

  public JsonObject toJson() {
    JsonArray proof = new JsonArray();
    consistencyProof.forEach(h -> proof.add(HEX.formatHex(h)));
    return new JsonObject().put("id", id).put("log", log).put("archiveId", archiveId).put("treeSize", treeSize)
        .put("rootHash", rootHex()).put("timestamp", timestamp)
        .put("signedAt", Instant.ofEpochMilli(timestamp).toString()).put("keyFingerprint", keyFingerprint)
        .put("signature", Base64.getEncoder().encodeToString(signature)).put("previousSize", previousSize)
        .put("consistencyProof", proof);
  }

  /**
   * @return the head in {@code json} (as {@link #toJson()} writes it)
   * @throws IllegalArgumentException when a field is missing or malformed
   */
  public static TreeHead fromJson(JsonObject json) {
    try {
      List<byte[]> proof = new ArrayList<>();
      for (Object h : json.getJsonArray("consistencyProof", new JsonArray())) {
        proof.add(HEX.parseHex((String) h));
      }
      return new TreeHead(json.getLong("id"), req(json, "log"), req(json, "archiveId"), json.getLong("treeSize"),
          HEX.parseHex(req(json, "rootHash")), json.getLong("timestamp"), req(json, "keyFingerprint"),
          Base64.getDecoder().decode(req(json, "signature")), json.getLong("previousSize", -1L), proof);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed tree head: " + e.getMessage());
    }
  }

  private static String req(JsonObject json, String key) {
    String v = json.getString(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return v;
  }

  static byte[] pack(List<byte[]> hashes) {
    byte[] out = new byte[hashes.size() * Merkle.HASH];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i), 0, out, i * Merkle.HASH, Merkle.HASH);
    }
    return out;
  }

  static List<byte[]> unpack(byte[] packed) {
    List<byte[]> out = new ArrayList<>();
    if (packed != null) {
      for (int i = 0; i + Merkle.HASH <= packed.length; i += Merkle.HASH) {
        out.add(java.util.Arrays.copyOfRange(packed, i, i + Merkle.HASH));
      }
    }
    return out;
  }
}
