package io.datahose.archiver.ops;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.evidence.ArchiveKey;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crafted backups (issue 11 item 1): what an attacker who can put a file where the operator restores from would
 * try. Each is refused, the archive in place is untouched, and code hidden in the file does not run.
 */
@DisplayName("Restore refuses forged, foreign, poisoned and bomb backups")
class BackupForgeryTest {

  @TempDir
  Path dir;
  private final ArchiveKey key = ArchiveKey.generate();
  private Path archive;
  private Path marker;
  private byte[] liveBefore;

  @BeforeEach
  void liveArchive() throws Exception {
    archive = dir.resolve("live").resolve("archive");
    try (ArchiveDatabase db = ArchiveDatabase.open(archive, true)) {
      new Archive(db).storeJson("tag", 0, List.of(message(1), message(2)), "ack-1");
    }
    liveBefore = Files.readAllBytes(Path.of(archive + ".mv.db"));
    marker = dir.resolve("code-ran");
  }

  @Test
  @DisplayName("a real backup restores; the file it writes is 0600")
  void genuineBackupRestores() throws Exception {
    Path zip = genuineBackup();
    assertThat(Files.getPosixFilePermissions(zip)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    BackupVerifier.Verification v = Restore.restore(zip, archive, key.publicKey(), line -> { });
    assertThat(v.events()).isEqualTo(2);
    assertThat(Files.getPosixFilePermissions(Path.of(archive + ".mv.db")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  @DisplayName("a plain H2 BACKUP zip (no signed manifest) is refused unopened")
  void unsigned() throws Exception {
    Path zip = dir.resolve("plain.zip");
    writeZip(zip, List.of(entry("archive.mv.db", Files.readAllBytes(Path.of(archive + ".mv.db")))));
    assertRefused(zip, "not a signed backup");
  }

  @Test
  @DisplayName("a backup signed by another installation's key is refused unopened, its hidden code never runs")
  void foreignKey() throws Exception {
    Path poisoned = poisonedArchive("CREATE TRIGGER EVIL BEFORE INSERT ON FEED_CURSOR AS $$"
        + " org.h2.api.Trigger create() throws Exception { " + writeMarker() + " return new org.h2.api.Trigger() {"
        + " public void fire(java.sql.Connection c, Object[] o, Object[] n) { } }; } $$");
    Path zip = signedZip(poisoned, ArchiveKey.generate(), manifestVerification(2));
    assertRefused(zip, "not signed by this archive's key");
    assertThat(marker).as("code in the file ran").doesNotExist();
  }

  @Test
  @DisplayName("event replaced by a view over a Java alias, signed with the real key: refused before any row is read")
  void aliasView() throws Exception {
    Path poisoned = poisonedArchive(
        "CREATE ALIAS EVIL AS $$ String evil() throws Exception { " + writeMarker() + " return \"x\"; } $$",
        "ALTER TABLE EVENT RENAME TO EVENT_REAL",
        "CREATE VIEW EVENT AS SELECT E.*, EVIL() AS X FROM EVENT_REAL E");
    Path zip = signedZip(poisoned, key, manifestVerification(2));
    assertRefused(zip, "user code or views");
    assertThat(marker).as("the alias ran").doesNotExist();
  }

  @Test
  @DisplayName("a table the migrations did not create is refused, naming it")
  void foreignTable() throws Exception {
    Path poisoned = poisonedArchive("CREATE TABLE PLANTED (ID INT)");
    assertRefused(signedZip(poisoned, key, manifestVerification(2)), "PUBLIC.PLANTED");
  }

  @Test
  @DisplayName("a file with just the four tables the old check read is not an archive")
  void fourTables() throws Exception {
    Path bare = dir.resolve("bare").resolve("archive");
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + bare, "sa", "");
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT, \"version\" VARCHAR(50),"
          + " \"checksum\" INT, \"success\" BOOLEAN)");
      s.execute("INSERT INTO \"flyway_schema_history\" VALUES (1, '4', 1, TRUE)");
      s.execute("CREATE TABLE EVENT (SEQ BIGINT)");
      s.execute("INSERT INTO EVENT VALUES (1)");
      s.execute("CREATE TABLE ARCHIVE_COUNTER (ID INT, NEXT_SEQ BIGINT)");
      s.execute("INSERT INTO ARCHIVE_COUNTER VALUES (1, 2)");
      s.execute("CREATE TABLE FEED_CURSOR (EVENTS BIGINT)");
      s.execute("INSERT INTO FEED_CURSOR VALUES (1)");
    }
    assertRefused(signedZip(Path.of(bare + ".mv.db"), key, manifestVerification(1)), "migration history");
  }

  @Test
  @DisplayName("the archive bytes changed after signing: refused on the SHA-256 before H2 opens them")
  void alteredAfterSigning() throws Exception {
    Path zip = genuineBackup();
    Path tampered = dir.resolve("tampered.zip");
    List<Entry> entries = readZip(zip);
    byte[] db = entries.get(0).bytes().clone();
    db[db.length / 2] ^= 1;
    entries.set(0, entry(entries.get(0).name(), db));
    writeZip(tampered, entries);
    assertRefused(tampered, "does not match its signed size and SHA-256");
  }

  @Test
  @DisplayName("an extra entry beside the signed ones is refused")
  void extraEntry() throws Exception {
    List<Entry> entries = readZip(genuineBackup());
    entries.add(entry("../../etc/cron.d/evil", "* * * * * root id".getBytes(StandardCharsets.UTF_8)));
    Path zip = dir.resolve("extra.zip");
    writeZip(zip, entries);
    assertRefused(zip, "holds entries");
  }

  @Test
  @DisplayName("a zip bomb (200 MB of zeros, ~1000:1), even correctly signed, is refused before extraction")
  void zipBomb() throws Exception {
    Path zip = dir.resolve("bomb.zip");
    long size = 200L << 20;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] zeros = new byte[1 << 20];
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.setLevel(Deflater.BEST_COMPRESSION);
      out.putNextEntry(new ZipEntry("archive.mv.db"));
      for (long n = 0; n < size; n += zeros.length) {
        out.write(zeros);
        sha.update(zeros);
      }
      out.closeEntry();
      writeManifest(out, key, "archive.mv.db", size, HexFormat.of().formatHex(sha.digest()), manifestVerification(0));
    }
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    assertThatThrownBy(() -> BackupVerifier.extract(zip, key.publicKey(), scratch, n -> { }))
        .isInstanceOf(BackupException.class).hasMessageContaining("refused before extraction");
    try (var files = Files.list(scratch)) {
      assertThat(files).as("nothing extracted").isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private void assertRefused(Path zip, String reason) throws IOException {
    byte[] live = Files.readAllBytes(Path.of(archive + ".mv.db"));
    assertThatThrownBy(() -> Restore.restore(zip, archive, key.publicKey(), line -> { }))
        .isInstanceOf(BackupException.class).hasMessageContaining(reason);
    assertThat(Files.readAllBytes(Path.of(archive + ".mv.db"))).as("the live archive is untouched")
        .isEqualTo(live);
  }

  private Path genuineBackup() {
    try (ArchiveDatabase db = ArchiveDatabase.open(archive, true)) {
      return new Backups(db, key, dir.resolve("backups"), 3, Duration.ofDays(1)).backupNow().file();
    }
  }

  /** A copy of the live archive with {@code ddl} run on it; @return its .mv.db */
  private Path poisonedArchive(String... ddl) throws Exception {
    Path copy = dir.resolve("poisoned").resolve("archive");
    Files.createDirectories(copy.getParent());
    Files.write(Path.of(copy + ".mv.db"), liveBefore);
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy, "sa", "");
         Statement s = c.createStatement()) {
      for (String sql : ddl) {
        s.execute(sql);
      }
    }
    Files.deleteIfExists(marker); // CREATE TRIGGER itself may have run it here, in the attacker's copy
    return Path.of(copy + ".mv.db");
  }

  private String writeMarker() {
    return "java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker + "\"), \"ran\");";
  }

  private static JsonObject manifestVerification(long events) {
    return new JsonObject().put("schemaVersion", 9).put("events", events).put("lastSeq", events).put("cursors", 1);
  }

  private Path signedZip(Path mvDb, ArchiveKey signer, JsonObject verification) throws Exception {
    byte[] db = Files.readAllBytes(mvDb);
    Path zip = dir.resolve("crafted-" + System.nanoTime() + ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("archive.mv.db"));
      out.write(db);
      out.closeEntry();
      writeManifest(out, signer, "archive.mv.db", db.length,
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(db)), verification);
    }
    return zip;
  }

  private static void writeManifest(ZipOutputStream out, ArchiveKey signer, String name, long size, String sha256,
                                    JsonObject verification) throws IOException {
    byte[] manifest = new JsonObject().put("format", BackupVerifier.FORMAT).put("keyFingerprint", signer.fingerprint())
        .put("database", new JsonObject().put("name", name).put("size", size).put("sha256", sha256))
        .put("verification", verification).encodePrettily().getBytes(StandardCharsets.UTF_8);
    out.putNextEntry(new ZipEntry(BackupVerifier.MANIFEST));
    out.write(manifest);
    out.closeEntry();
    out.putNextEntry(new ZipEntry(BackupVerifier.SIGNATURE));
    out.write(Base64.getEncoder().encode(signer.sign(manifest)));
    out.closeEntry();
  }

  private record Entry(String name, byte[] bytes) {
  }

  private static Entry entry(String name, byte[] bytes) {
    return new Entry(name, bytes);
  }

  private static List<Entry> readZip(Path zip) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        entries.add(entry(e.getName(), in.readAllBytes()));
      }
    }
    entries.sort((a, b) -> a.name().endsWith(".mv.db") ? -1 : b.name().endsWith(".mv.db") ? 1 : 0);
    return entries;
  }

  private static void writeZip(Path zip, List<Entry> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      for (Entry e : entries) {
        out.putNextEntry(new ZipEntry(e.name()));
        out.write(e.bytes());
        out.closeEntry();
      }
    }
  }

  private static JsonObject message(int n) {
    JsonObject user = new JsonObject().put("userId", 1000L + n).put("displayName", "User " + n)
        .put("email", "user" + n + "@bank.example").put("username", "user" + n);
    JsonObject message = new JsonObject().put("messageId", "m" + n).put("timestamp", 1_700_000_000_000L + n)
        .put("message", "<div data-format=\"PresentationML\" data-version=\"2.0\">hello " + n + "</div>")
        .put("data", "{}").put("user", user)
        .put("stream", new JsonObject().put("streamId", "s1").put("streamType", "ROOM"));
    return new JsonObject().put("id", "ev" + n).put("messageId", "m" + n).put("timestamp", 1_700_000_000_000L + n)
        .put("type", "MESSAGESENT").put("initiator", new JsonObject().put("user", user.copy()))
        .put("payload", new JsonObject().put("messageSent", new JsonObject().put("message", message)));
  }
}
