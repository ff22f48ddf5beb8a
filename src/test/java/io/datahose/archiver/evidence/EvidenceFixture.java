package io.datahose.archiver.evidence;

import io.datahose.archiver.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.vertx.core.json.JsonObject;

/** A file archive with events stored in batches and a signed tree head after each batch; for evidence tests. */
public final class EvidenceFixture {

  public final Path dir;
  public final Path dbPath;
  public final Path evidenceDir;
  public final ArchiveKey key;
  public ArchiveDatabase db;
  private int next;

  public EvidenceFixture(Path dir) {
    this.dir = dir;
    this.dbPath = dir.resolve("archive");
    this.evidenceDir = dir.resolve("evidence");
    this.key = ArchiveKey.loadOrCreate(dir.resolve("archive.key.pem"), true, evidenceDir);
    this.db = TestDatabases.open(dbPath);
  }

  /** Stores {@code batches} batches of {@code size} fresh events, signing a tree head after each. */
  public EvidenceFixture store(int batches, int size) {
    Archive archive = new Archive(db);
    for (int b = 0; b < batches; b++) {
      List<JsonObject> events = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        events.add(event(next++));
      }
      archive.storeJson("tag", 0, events, "ack-" + next);
      heads().checkpoint();
    }
    return this;
  }

  public TreeHeads heads() {
    return new TreeHeads(db.dsl(), key, evidenceDir);
  }

  public Verification verify() {
    return new ArchiveVerifier(db.dsl(), key.publicKey(), evidenceDir).verify();
  }

  private boolean closed;

  public void close() {
    if (!closed) {
      db.close();
      closed = true;
    }
  }

  public void reopen() {
    close();
    db = TestDatabases.open(dbPath);
    closed = false;
  }

  /** @return a YAML configuration naming this archive, its key and evidence.dir */
  public String yaml() {
    return "symphony:\n  pod:\n    url: \"https://pod.example\"\n"
        + TestDatabases.yaml(dbPath)
        + "backup:\n  dir: \"" + dir.resolve("backups") + "\"\n"
        + "evidence:\n  key: \"" + dir.resolve("archive.key.pem") + "\"\n  dir: \"" + evidenceDir + "\"\n";
  }

  public static JsonObject event(int n) {
    JsonObject user = new JsonObject().put("userId", 1000L + n % 5).put("displayName", "User " + n % 5);
    JsonObject message = new JsonObject().put("messageId", "m" + n).put("timestamp", 1_700_000_000_000L + n)
        .put("message", "<div data-format=\"PresentationML\" data-version=\"2.0\">text " + n + "</div>")
        .put("data", "{}").put("user", user)
        .put("stream", new JsonObject().put("streamId", "s" + n % 3).put("streamType", "ROOM"));
    return new JsonObject().put("id", "ev" + n).put("messageId", "m" + n).put("timestamp", 1_700_000_000_000L + n)
        .put("type", "MESSAGESENT").put("initiator", new JsonObject().put("user", user.copy()))
        .put("payload", new JsonObject().put("messageSent", new JsonObject().put("message", message)));
  }
}
