package io.datahose.archiver.capture;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Time the daemon never read the feed for is uncovered, never "complete". */
@DisplayName("Capture coverage is honest about time never captured")
class CoverageHonestTest {

  private ArchiveDatabase db;
  private CoverageQueries coverage;
  private final Instant firstRead = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);

  @BeforeEach
  void open() {
    db = TestDatabases.fresh("coverage-" + System.nanoTime());
    coverage = new CoverageQueries(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  @DisplayName("An archive that never read: any range is incomplete, uncovered whole")
  void neverRead() {
    JsonObject c = coverage.coverage(firstRead, firstRead.plusSeconds(600));
    assertThat(c.getBoolean("complete")).isFalse();
    assertThat(c.getDouble("coverage")).isZero();
    assertThat(c.getJsonArray("uncovered")).hasSize(1);
  }

  @Test
  @DisplayName("A range reaching before the first read is incomplete with that span; one after it is complete")
  void beforeTheFirstRead() {
    new CaptureLedgerStore(db).addReads(0, firstRead, firstRead, firstRead.plusSeconds(30), 3, 10, 0, null);
    JsonObject before = coverage.coverage(firstRead.minusSeconds(3600), firstRead.plusSeconds(3600));
    assertThat(before.getBoolean("complete")).isFalse();
    assertThat(before.getDouble("coverage")).isEqualTo(0.5);
    JsonObject span = before.getJsonArray("uncovered").getJsonObject(0);
    assertThat(span.getString("from")).isEqualTo(firstRead.minusSeconds(3600).toString());
    assertThat(span.getString("to")).isEqualTo(firstRead.toString());
    assertThat(coverage.gaps(utc(firstRead.minusSeconds(60)), utc(firstRead.plusSeconds(60))))
        .as("transcripts and exports see it as a gap").hasSize(1);

    JsonObject after = coverage.coverage(firstRead, firstRead.plusSeconds(3600));
    assertThat(after.getBoolean("complete")).isTrue();
    assertThat(after.getJsonArray("uncovered")).isEmpty();
    assertThat(coverage.gaps(null, null)).as("the whole archive: nothing before its beginning").isEmpty();
  }

  @Test
  @DisplayName("A range ending in the future is incomplete for its future part")
  void future() {
    new CaptureLedgerStore(db).addReads(0, firstRead, firstRead, firstRead.plusSeconds(30), 3, 10, 0, null);
    JsonObject c = coverage.coverage(firstRead, Instant.now().plusSeconds(3600));
    assertThat(c.getBoolean("complete")).isFalse();
    assertThat(c.getJsonArray("uncovered").getJsonObject(0).getString("reason")).contains("future");
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
