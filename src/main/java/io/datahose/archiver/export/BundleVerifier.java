package io.datahose.archiver.export;

import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.Merkle;
import io.datahose.archiver.evidence.TreeHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code verify-export}: checks a bundle ({@link Bundle}) with nothing but its files and a public key. The manifest's
 * signature; the SHA-256 of every file it lists; each tree head's signature and the consistency chain between them;
 * that the manifest's tree head is the last one; then every event line: its received bytes hash to its
 * {@code rawSha256}, and its leaf (seq, rawSha256, receivedAt) is proven by its inclusion proof under that head's
 * root; and the count and seq range. Stops at the first problem. Pure apart from reading the bundle.
 */
public final class BundleVerifier {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] EVENT_KEY = ",\"event\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_B64_KEY = ",\"eventBase64\":".getBytes(StandardCharsets.US_ASCII);

  private BundleVerifier() {
  }

  /** The outcome: ok, a one-line verdict, the key it was checked with. */
  public record Result(boolean ok, String verdict, long events, String keyFingerprint) {
  }

  /** A problem that ends the verification. */
  private static final class Bad extends RuntimeException {
    Bad(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param bundle    a bundle directory or ZIP file
   * @param publicKey the key to trust; null = the bundle's own {@code archive-key.pub.pem} (compare its fingerprint
   *                  with the one the archive's owner published)
   * @throws UncheckedIOException when the bundle cannot be read
   */
  public static Result verify(Path bundle, PublicKey publicKey) {
    return verify(read(bundle), publicKey);
  }

  /** As {@link #verify(Path, PublicKey)} for the bundle's files by name. */
  public static Result verify(Map<String, byte[]> files, PublicKey publicKey) {
    String fingerprint = null;
    long events = 0;
    try {
      PublicKey key = publicKey;
      if (key == null) {
        key = ArchiveKey.readPublicKey(new String(need(files, ArchiveKey.PUBLIC_KEY_FILE), StandardCharsets.US_ASCII));
      }
      fingerprint = ArchiveKey.fingerprint(key);
      byte[] manifestBytes = need(files, Bundle.MANIFEST);
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(new String(need(files, Bundle.SIGNATURE), StandardCharsets.US_ASCII).trim());
      } catch (IllegalArgumentException e) {
        throw new Bad(Bundle.SIGNATURE + " is not base64");
      }
      if (!ArchiveKey.verify(key, manifestBytes, sig)) {
        throw new Bad(Bundle.MANIFEST + ": signature does not verify with key " + fingerprint);
      }
      JsonObject manifest = json(manifestBytes, Bundle.MANIFEST);
      if (!Bundle.FORMAT.equals(manifest.getString("format"))) {
        throw new Bad(Bundle.MANIFEST + ": unknown format " + manifest.getString("format"));
      }
      JsonObject listed = manifest.getJsonObject("files", new JsonObject());
      for (String name : Bundle.COVERED) {
        String want = listed.getString(name);
        if (want == null || !want.equals(HEX.formatHex(Merkle.sha256().digest(need(files, name))))) {
          throw new Bad(name + ": SHA-256 does not match the manifest");
        }
      }
      TreeHead head = heads(files, key, manifest);
      long[] counted = events(files, head, manifest);
      events = counted[0];
      return new Result(true, "OK: " + events + " events proven under tree head " + head.id()
          + (counted[1] > 0 ? " (" + counted[1] + " of them tombstones of disposed events: their content is gone, "
              + "their leaves are proven)" : "") + " (size "
          + head.treeSize() + ", root " + head.rootHex() + ") signed by key " + fingerprint, events, fingerprint);
    } catch (Bad e) {
      return new Result(false, "FAILED: " + e.getMessage(), events, fingerprint);
    } catch (RuntimeException e) {
      return new Result(false, "FAILED: malformed bundle (" + e + ")", events, fingerprint);
    }
  }

  private static TreeHead heads(Map<String, byte[]> files, PublicKey key, JsonObject manifest) {
    TreeHead previous = null;
    String archiveId = manifest.getString("archiveId");
    for (String line : lines(need(files, Bundle.HEADS))) {
      TreeHead h;
      try {
        h = TreeHead.fromJson(json(line.getBytes(StandardCharsets.UTF_8), Bundle.HEADS));
      } catch (IllegalArgumentException e) {
        throw new Bad(Bundle.HEADS + ": " + e.getMessage());
      }
      if (!h.signatureValid(key)) {
        throw new Bad("tree head " + h.id() + " (size " + h.treeSize() + "): bad signature");
      }
      if (!h.archiveId().equals(archiveId)) {
        throw new Bad("tree head " + h.id() + ": signed for archive " + h.archiveId() + ", not " + archiveId);
      }
      if (previous != null && (h.previousSize() != previous.treeSize() || !Merkle.verifyConsistency(
          previous.treeSize(), h.treeSize(), previous.rootHash(), h.rootHash(), h.consistencyProof()))) {
        throw new Bad("tree head " + h.id() + ": not consistent with tree head " + previous.id());
      }
      previous = h;
    }
    JsonObject claimed = manifest.getJsonObject("treeHead", new JsonObject());
    if (previous == null || previous.id() != claimed.getLong("id", -1L)
        || previous.treeSize() != claimed.getLong("treeSize", -1L) || !previous.rootHex().equals(
        claimed.getString("rootHash"))) {
      throw new Bad(Bundle.HEADS + ": its last head is not the manifest's tree head");
    }
    return previous;
  }

  /** @return {events verified, of which tombstones} */
  private static long[] events(Map<String, byte[]> files, TreeHead head, JsonObject manifest) {
    List<String> events = lines(need(files, Bundle.EVENTS));
    List<String> proofs = lines(need(files, Bundle.PROOFS));
    if (events.size() != proofs.size()) {
      throw new Bad(Bundle.EVENTS + " holds " + events.size() + " events but " + Bundle.PROOFS + " " + proofs.size()
          + " proofs");
    }
    long first = -1;
    long last = -1;
    long disposedEvents = 0;
    for (int i = 0; i < events.size(); i++) {
      byte[] line = events.get(i).getBytes(StandardCharsets.UTF_8);
      JsonObject envelope = json(line, Bundle.EVENTS);
      long seq = envelope.getLong("seq");
      String rawSha = envelope.getString("rawSha256");
      if (Boolean.TRUE.equals(envelope.getValue("disposed")) && envelope.getValue("event") == null) {
        // a tombstone (disposed of after its retention): no bytes; its leaf below still proves seq and rawSha256
        disposedEvents++;
      } else {
        byte[] raw = received(line, envelope, seq);
        if (rawSha == null || !rawSha.equals(HEX.formatHex(Merkle.sha256().digest(raw)))) {
          throw new Bad("seq " + seq + ": received bytes do not match rawSha256");
        }
      }
      long receivedAt = Instant.parse(envelope.getString("receivedAt")).toEpochMilli();
      JsonObject proof = json(proofs.get(i).getBytes(StandardCharsets.UTF_8), Bundle.PROOFS);
      if (proof.getLong("seq", -1L) != seq || proof.getLong("treeSize", -1L) != head.treeSize()) {
        throw new Bad("seq " + seq + ": its proof is for seq " + proof.getLong("seq") + " in a tree of "
            + proof.getLong("treeSize") + ", not " + head.treeSize());
      }
      List<byte[]> path = new ArrayList<>();
      for (Object h : proof.getJsonArray("path", new JsonArray())) {
        path.add(HEX.parseHex((String) h));
      }
      byte[] leaf = Merkle.leafHash(seq, rawSha, receivedAt);
      if (!Merkle.verifyInclusion(seq - 1, head.treeSize(), leaf, path, head.rootHash())) {
        throw new Bad("seq " + seq + ": inclusion proof does not verify under tree head " + head.id());
      }
      if (seq <= last) {
        throw new Bad("seq " + seq + ": out of order");
      }
      first = first < 0 ? seq : first;
      last = seq;
    }
    if (manifest.getLong("count", -1L) != events.size()
        || events.size() > 0 && (manifest.getLong("firstSeq", -1L) != first || manifest.getLong("lastSeq", -1L) != last)) {
      throw new Bad(Bundle.MANIFEST + ": count or seq range does not match " + Bundle.EVENTS);
    }
    return new long[] {events.size(), disposedEvents};
  }

  /** The received bytes of an export line: after the first {@code ,"event":} up to the final '}', or base64. */
  private static byte[] received(byte[] line, JsonObject envelope, long seq) {
    int at = indexOf(line, EVENT_KEY);
    if (at >= 0 && line[line.length - 1] == '}') {
      return Arrays.copyOfRange(line, at + EVENT_KEY.length, line.length - 1);
    }
    if (indexOf(line, EVENT_B64_KEY) >= 0 && envelope.getString("eventBase64") != null) {
      return Base64.getDecoder().decode(envelope.getString("eventBase64"));
    }
    throw new Bad("seq " + seq + ": line holds no event");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static List<String> lines(byte[] bytes) {
    List<String> out = new ArrayList<>();
    for (String l : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return out;
  }

  private static JsonObject json(byte[] bytes, String file) {
    try {
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new Bad(file + ": not JSON");
    }
  }

  private static byte[] need(Map<String, byte[]> files, String name) {
    byte[] b = files.get(name);
    if (b == null) {
      throw new Bad("the bundle has no " + name);
    }
    return b;
  }

  /** @return the bundle's files by name, from a directory or a ZIP file */
  public static Map<String, byte[]> read(Path bundle) {
    Map<String, byte[]> files = new HashMap<>();
    try {
      if (Files.isDirectory(bundle)) {
        for (String name : BundleWriter.allFiles()) {
          Path f = bundle.resolve(name);
          if (Files.exists(f)) {
            files.put(name, Files.readAllBytes(f));
          }
        }
        return files;
      }
      try (InputStream in = Files.newInputStream(bundle); ZipInputStream zip = new ZipInputStream(in)) {
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null) {
          if (files.put(e.getName(), zip.readAllBytes()) != null) {
            throw new IOException("the ZIP holds " + e.getName() + " twice");
          }
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundle " + bundle + ": " + e.getMessage(), e);
    }
  }
}
