package io.datahose.archiver.export;

import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.EventLog;
import io.datahose.archiver.evidence.EvidenceFixture;
import io.datahose.archiver.evidence.Merkle;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.datahose.archiver.query.EventFilter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Export bundles prove themselves offline (verify-export and the Python script of docs/api.md)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleTest {

  private static final EventFilter ALL = new EventFilter(null, null, null, null, null, null, 500);

  @TempDir
  static Path dir;
  EvidenceFixture archive;
  Path bundle;
  Path zip;
  Map<String, byte[]> files;
  boolean python;

  @BeforeAll
  void write() throws Exception {
    archive = new EvidenceFixture(dir).store(3, 30);
    BundleWriter writer = new BundleWriter(archive.db.dsl(), archive.key, archive.heads());
    // a stream's events: not contiguous seqs, so the proofs are not neighbours
    bundle = dir.resolve("bundle");
    BundleWriter.Written w = writer.writeDirectory(bundle, new EventFilter(null, "s1", null, null, null, null, 500),
        new JsonObject().put("stream", "s1"), new JsonArray());
    assertThat(w.count()).isEqualTo(30);
    zip = dir.resolve("bundle.zip");
    writer.writeZip(zip, dir.resolve("zip-work"), ALL, new JsonObject(), new JsonArray());
    files = BundleVerifier.read(bundle);
    Path script = dir.resolve("verify_bundle.py");
    Files.writeString(script, readmeScript());
    python = new ProcessBuilder("python3", "-c", "import cryptography").start().waitFor() == 0;
  }

  @AfterAll
  void close() {
    archive.close();
  }

  static String readmeScript() throws IOException {
    String readme = Files.readString(Path.of("docs/api.md"));
    int section = readme.indexOf("## Proving the archive");
    int from = readme.indexOf("```python\n", section) + "```python\n".length();
    return readme.substring(from, readme.indexOf("\n```", from) + 1);
  }

  /** @return the Python script's exit code and output on {@code path} (skipped = "no python") */
  private String python(Path path) throws Exception {
    Process p = new ProcessBuilder("python3", dir.resolve("verify_bundle.py").toString(), path.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + " " + out;
  }

  private Path writeBundle(String name, Map<String, byte[]> content) throws IOException {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      Files.write(d.resolve(e.getKey()), e.getValue());
    }
    return d;
  }

  /** The manifest with its file hashes recomputed, re-signed with the archive key: only the proof logic can fail. */
  private Map<String, byte[]> resigned(Map<String, byte[]> content) {
    Map<String, byte[]> out = new HashMap<>(content);
    JsonObject manifest = new JsonObject(new String(out.get(Bundle.MANIFEST), StandardCharsets.UTF_8));
    JsonObject sums = new JsonObject();
    for (String name : Bundle.COVERED) {
      sums.put(name, HexFormat.of().formatHex(Merkle.sha256().digest(out.get(name))));
    }
    byte[] bytes = manifest.put("files", sums).encodePrettily().getBytes(StandardCharsets.UTF_8);
    out.put(Bundle.MANIFEST, bytes);
    out.put(Bundle.SIGNATURE, Base64.getEncoder().encode(archive.key.sign(bytes)));
    return out;
  }

  @Test
  @DisplayName("a bundle (directory or ZIP, 0600 files) verifies with its key and with the published one")
  void verifies() throws Exception {
    BundleVerifier.Result r = BundleVerifier.verify(bundle, null);
    assertThat(r.ok()).as(r.verdict()).isTrue();
    assertThat(r.verdict()).startsWith("OK: 30 events proven under tree head 3 (size 90");
    assertThat(BundleVerifier.verify(bundle, archive.key.publicKey()).ok()).isTrue();
    BundleVerifier.Result z = BundleVerifier.verify(zip, archive.key.publicKey());
    assertThat(z.ok()).as(z.verdict()).isTrue();
    assertThat(z.events()).isEqualTo(90);
    assertThat(BundleVerifier.verify(bundle, ArchiveKey.generate().publicKey()).verdict())
        .contains("manifest.json: signature does not verify");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle.resolve(Bundle.EVENTS))))
        .isEqualTo("rw-------");
    JsonObject manifest = new JsonObject(Files.readString(bundle.resolve(Bundle.MANIFEST)));
    assertThat(manifest.getLong("count")).isEqualTo(30);
    assertThat(manifest.getJsonObject("filter").getString("stream")).isEqualTo("s1");
    assertThat(Files.readAllLines(bundle.resolve(Bundle.EVENTS))).allSatisfy(l -> assertThat(l).contains("\"s1\""));
    if (python) {
      assertThat(python(bundle)).startsWith("0 OK: 30 events proven under tree head 3 (size 90)");
      assertThat(python(zip)).startsWith("0 OK: 90 events");
    }
  }

  @Test
  @DisplayName("flipping one byte of any file fails it, in verify-export and in the Python script")
  void flippedByte() throws Exception {
    for (String name : BundleWriter.allFiles()) {
      Map<String, byte[]> copy = new HashMap<>(files);
      byte[] b = copy.get(name).clone();
      b[b.length / 2] ^= 1;
      copy.put(name, b);
      Path d = writeBundle("flip-" + name, copy);
      BundleVerifier.Result r = BundleVerifier.verify(d, null);
      assertThat(r.ok()).as(name + ": " + r.verdict()).isFalse();
      if (python) {
        assertThat(python(d)).as(name).startsWith("1 FAILED");
      }
    }
  }

  @Test
  @DisplayName("dropping an event fails it (also with the proof dropped too)")
  void droppedEvent() throws Exception {
    Map<String, byte[]> copy = new HashMap<>(files);
    copy.put(Bundle.EVENTS, dropLine(copy.get(Bundle.EVENTS), 4));
    Path d = writeBundle("drop", copy);
    assertThat(BundleVerifier.verify(d, null).verdict()).isEqualTo("FAILED: events.jsonl: SHA-256 does not match "
        + "the manifest");
    copy.put(Bundle.PROOFS, dropLine(copy.get(Bundle.PROOFS), 4));
    Path resigned = writeBundle("drop-resigned", resigned(copy));
    assertThat(BundleVerifier.verify(resigned, null).verdict()).contains("count or seq range does not match");
    if (python) {
      assertThat(python(d)).startsWith("1 FAILED");
      assertThat(python(resigned)).startsWith("1 FAILED").contains("count differs");
    }
  }

  @Test
  @DisplayName("a proof for another tree fails it, even under a correctly signed manifest")
  void proofForAnotherTree() throws Exception {
    List<String> proofs = new ArrayList<>(List.of(new String(files.get(Bundle.PROOFS), StandardCharsets.UTF_8)
        .split("\n")));
    JsonObject first = new JsonObject(proofs.get(0));
    long seq = first.getLong("seq");
    // the same event's proof in the tree of the first head (size 30): a valid proof, of another tree
    JsonArray path = new JsonArray();
    Merkle.inclusionProof(seq - 1, 30, EventLog.subtrees(archive.db.dsl()))
        .forEach(h -> path.add(HexFormat.of().formatHex(h)));
    Map<String, byte[]> other = new HashMap<>(files);
    proofs.set(0, first.copy().put("path", path).encode());
    other.put(Bundle.PROOFS, (String.join("\n", proofs) + "\n").getBytes(StandardCharsets.UTF_8));
    Path claimed = writeBundle("other-tree", resigned(other));
    assertThat(BundleVerifier.verify(claimed, null).verdict())
        .isEqualTo("FAILED: seq " + seq + ": inclusion proof does not verify under tree head 3");
    proofs.set(0, first.copy().put("path", path).put("treeSize", 30).encode());
    other.put(Bundle.PROOFS, (String.join("\n", proofs) + "\n").getBytes(StandardCharsets.UTF_8));
    Path honest = writeBundle("other-tree-size", resigned(other));
    assertThat(BundleVerifier.verify(honest, null).verdict()).contains("seq " + seq + ": its proof is for seq " + seq
        + " in a tree of 30, not 90");
    if (python) {
      assertThat(python(claimed)).startsWith("1 FAILED").containsAnyOf("inclusion proof fails", "proof too short");
      assertThat(python(honest)).startsWith("1 FAILED").contains("proof for another tree");
    }
  }

  @Test
  @DisplayName("the Python script needs python3 with cryptography, which this machine has")
  void pythonPresent() {
    assertThat(python).as("python3 -c 'import cryptography' (apt-get install python3-cryptography)").isTrue();
  }

  private static byte[] dropLine(byte[] content, int index) {
    List<String> lines = new ArrayList<>(List.of(new String(content, StandardCharsets.UTF_8).split("\n")));
    lines.remove(index);
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
