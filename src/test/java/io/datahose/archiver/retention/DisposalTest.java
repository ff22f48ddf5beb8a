package io.datahose.archiver.retention;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.RetentionPolicy;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.DisposalCertificates;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.evidence.Verification;
import io.datahose.archiver.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.datahose.archiver.db.Tables.ACCESS_LOG;
import static io.datahose.archiver.db.Tables.DISPOSAL_CERTIFICATE;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 15: disposal removes content past retention and under no hold, keeps the archive provable. */
@DisplayName("Disposal")
class DisposalTest {

  @TempDir
  Path dir;
  ArchiveDatabase db;
  Archive archive;
  ArchiveKey key;
  Path evidence;
  int next;
  /** A day after "now" plus retention 1d: every event stored so far is past its retention. */
  Instant later;

  @BeforeEach
  void open() {
    db = TestDatabases.open(dir.resolve("archive"));
    archive = new Archive(db);
    evidence = dir.resolve("evidence");
    key = ArchiveKey.loadOrCreate(dir.resolve("key.pem"), true, evidence);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void store(int n, String stream) {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = next++;
      JsonObject user = new JsonObject().put("userId", 1000L + k % 4).put("displayName", "User " + k % 4);
      JsonObject message = new JsonObject().put("messageId", "m" + k).put("timestamp", 1_700_000_000_000L + k)
          .put("message", "<div data-format=\"PresentationML\" data-version=\"2.0\">secret " + k + "</div>")
          .put("data", "{}").put("user", user)
          .put("stream", new JsonObject().put("streamId", stream).put("streamType", "ROOM"));
      events.add(new JsonObject().put("id", "ev" + k).put("messageId", "m" + k).put("timestamp", 1_700_000_000_000L + k)
          .put("type", "MESSAGESENT").put("initiator", new JsonObject().put("user", user.copy()))
          .put("payload", new JsonObject().put("messageSent", new JsonObject().put("message", message))));
    }
    archive.storeJson("tag", 0, events, "ack-" + next);
    new TreeHeads(db.dsl(), key, evidence).checkpoint();
    later = Instant.now().plus(Duration.ofDays(2));
  }

  private static AppConfig.Retention retention(String period, double maxPercent) {
    return new AppConfig.Retention(new RetentionPolicy(RetentionPolicy.Period.parse(period).orElseThrow(), Map.of(),
        Map.of()), Duration.ofDays(1), maxPercent);
  }

  private Disposal.Report dispose(boolean dryRun, boolean confirm, List<String> searchDeleted) {
    return Disposal.runSafely(db.dsl(), retention("1d", 5), key, evidence, dryRun, confirm, later,
        searchDeleted::addAll);
  }

  private Verification verify() {
    return new ArchiveVerifier(db.dsl(), key.publicKey(), evidence).verify();
  }

  private long withContent() {
    return db.dsl().fetchCount(EVENT, EVENT.RAW_BYTES.isNotNull().or(EVENT.RAW_BYTES_LARGE.isNotNull()));
  }

  @Test
  @DisplayName("a hold on a stream protects exactly its events, also those that arrive later; release, then dispose")
  void holdThenRelease() {
    store(20, "s1");
    store(20, "s2");
    LegalHoldStore holds = new LegalHoldStore(db.dsl());
    holds.add("matter-1", "SEC inquiry 2026-17", List.of("s1"), List.of(), null, null, "admin", "test");
    store(10, "s1");                                            // arrives after the hold: covered too
    List<String> deleted = new ArrayList<>();

    Disposal.Report first = dispose(false, true, deleted);
    assertThat(first.disposed()).isEqualTo(20);
    assertThat(first.held()).isEqualTo(30);
    assertThat(db.dsl().fetchCount(EVENT, EVENT.STREAM_ID.eq("s1").and(EVENT.DISPOSED_AT.isNull()))).isEqualTo(30);
    assertThat(db.dsl().fetchCount(EVENT, EVENT.STREAM_ID.eq("s2").and(EVENT.DISPOSED_AT.isNotNull()))).isEqualTo(20);
    assertThat(deleted).hasSize(20).allMatch(id -> id.startsWith("m"));
    assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STREAM_ID.eq("s2").and(MESSAGE.PLAIN_TEXT.isNotNull()))).isZero();
    assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STREAM_ID.eq("s2").and(MESSAGE.DISPOSED_AT.isNotNull())))
        .as("a disposed message stays as a stub that says so").isEqualTo(20);
    assertThat(evidence.resolve(DisposalCertificates.fileName(first.certificate()))).exists();
    Verification v = verify();
    assertThat(v.ok()).as(v.verdict()).isTrue();
    assertThat(v.verdict()).contains("20 disposed of under 1 certificate(s)");
    var deep = io.datahose.archiver.archive.Reprojection.check(db.dsl(), dir);
    assertThat(deep.ok()).as("verify --deep after disposal: %s", deep.problems()).isTrue();
    assertThat(deep.events()).isEqualTo(30);
    assertThat(deep.disposed()).isEqualTo(20);

    holds.release("matter-1", "inquiry closed", "admin", "test");
    Disposal.Report second = dispose(false, true, deleted);
    assertThat(second.disposed()).isEqualTo(30);
    assertThat(withContent()).isZero();
    assertThat(db.dsl().fetchCount(DISPOSAL_CERTIFICATE)).isEqualTo(2);
    assertThat(verify().ok()).isTrue();
    assertThat(db.dsl().fetchCount(ACCESS_LOG, ACCESS_LOG.ROUTE.eq("(legal hold)")))
        .as("the hold's creation and release are in the access log").isEqualTo(2);
  }

  @Test
  @DisplayName("a dry run changes nothing; more than maxDisposePercent stops until confirmed")
  void dryRunAndSafety() {
    store(30, "s1");
    Disposal.Report dry = dispose(true, false, new ArrayList<>());
    assertThat(dry.disposed()).isEqualTo(30);
    assertThat(dry.describe()).startsWith("dispose --dry-run: 30 events would be disposed of");
    assertThat(withContent()).isEqualTo(30);
    Disposal.Report refused = dispose(false, false, new ArrayList<>());
    assertThat(refused.refused()).contains("30 of 30 events (100.0%), more than retention.maxDisposePercent (5%)")
        .contains("dispose --confirm");
    assertThat(withContent()).isEqualTo(30);
    assertThat(db.dsl().fetchCount(DISPOSAL_CERTIFICATE)).isZero();
    assertThat(dispose(false, true, new ArrayList<>()).disposed()).isEqualTo(30);
  }

  @Test
  @DisplayName("verify fails when a tombstone is altered, or its certificate is gone")
  void tampering() throws Exception {
    store(20, "s1");
    long certificate = dispose(false, true, new ArrayList<>()).certificate();
    assertThat(verify().ok()).isTrue();
    db.dsl().update(EVENT).set(EVENT.TYPE, "ROOMCREATED").where(EVENT.SEQ.eq(7L)).execute();
    Verification altered = verify();
    assertThat(altered.ok()).isFalse();
    assertThat(altered.problems()).anySatisfy(p -> assertThat(p)
        .startsWith("disposal certificate " + certificate + ": its tombstones were altered"));
    db.dsl().update(EVENT).set(EVENT.TYPE, "MESSAGESENT").where(EVENT.SEQ.eq(7L)).execute();
    assertThat(verify().ok()).isTrue();

    db.dsl().deleteFrom(DISPOSAL_CERTIFICATE).execute();
    Verification missing = verify();
    assertThat(missing.ok()).isFalse();
    assertThat(missing.firstBadSeq()).isEqualTo(1);
    assertThat(missing.verdict()).contains("seq 1: disposed of without a disposal certificate covering it");
    assertThat(missing.problems()).anySatisfy(p -> assertThat(p)
        .contains("disposal certificate " + certificate + " in evidence.dir is missing from the archive"));
  }

  @Test
  @DisplayName("a run that fails half-way leaves nothing; the rerun completes with exactly one certificate")
  void crashMidRun() throws Exception {
    store(1200, "s1");                                          // three chunks of 500
    Disposal.afterChunk = chunk -> {
      if (chunk == 2) {
        throw new IllegalStateException("simulated crash after the second chunk");
      }
    };
    try {
      assertThatThrownBy(() -> dispose(false, true, new ArrayList<>())).hasMessageContaining("simulated crash");
    } finally {
      Disposal.afterChunk = chunk -> { };
    }
    assertThat(withContent()).isEqualTo(1200);
    assertThat(db.dsl().fetchCount(EVENT, EVENT.DISPOSED_AT.isNotNull())).isZero();
    assertThat(db.dsl().fetchCount(DISPOSAL_CERTIFICATE)).isZero();
    assertThat(dispose(false, true, new ArrayList<>()).disposed()).isEqualTo(1200);
    assertThat(db.dsl().fetchCount(DISPOSAL_CERTIFICATE)).isEqualTo(1);
    try (var files = Files.list(evidence)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("disposal-"))).hasSize(1);
    }
    Verification v = verify();
    assertThat(v.ok()).as(v.verdict()).isTrue();
  }
}
