package io.datahose.archiver.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /export}: JSON Lines of the raw events in archive order with a manifest whose count and SHA-256 match
 * the lines, streamed in constant memory. The 20,000 extra events go straight into the raw log (export reads only
 * that table) so the test does not wait for ingest and projections.
 */
@DisplayName("Query API export")
class ApiExportTest {

  @TempDir
  static Path dir;
  static ApiHarness h;
  static final int BULK = 20_000;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 0, RoomStory.events());
    bulkInsert(h.pod.simulator().generator().next(BULK));
  }

  private static void bulkInsert(List<JsonObject> events) {
    try (java.sql.Connection c = h.daemon.database().dataSource().getConnection();
         java.sql.PreparedStatement insert = c.prepareStatement("insert into event (seq, sha256, type, received_at, "
             + "reader_slot, raw) values (?, ?, ?, current_timestamp, 0, ?)")) {
      long seq = 10_000_000;
      for (JsonObject e : events) {
        insert.setLong(1, seq++);
        insert.setString(2, io.datahose.archiver.symphony.CanonicalJson.sha256(e));
        insert.setString(3, e.getString("type"));
        insert.setString(4, e.encode());
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  /** The lines before the manifest, the manifest, and the hash of everything before it. */
  record Export(List<Long> seqs, JsonObject manifest, String sha256, long bytes) {
  }

  @Test
  @DisplayName("The manifest's count, first/last seq and SHA-256 match the exported lines of a filtered export")
  void manifestMatchesLines() throws Exception {
    Export export = export("/api/v1/export?stream=" + RoomStory.ROOM, null);
    assertThat(export.seqs()).hasSize(RoomStory.events().size()).isSorted().doesNotHaveDuplicates();
    assertThat(export.manifest().getLong("count")).isEqualTo(export.seqs().size());
    assertThat(export.manifest().getString("sha256")).isEqualTo(export.sha256());
    assertThat(export.manifest().getLong("firstSeq")).isEqualTo(export.seqs().get(0));
    assertThat(export.manifest().getLong("lastSeq")).isEqualTo(export.seqs().get(export.seqs().size() - 1));
    Export none = export("/api/v1/export?type=CONNECTIONACCEPTED&stream=none", null);
    assertThat(none.manifest().getLong("count")).isZero();
  }

  @Test
  @DisplayName("Exporting over 20,000 events keeps the heap flat and the manifest matches every line")
  void largeExportInConstantMemory() throws Exception {
    export("/api/v1/export", null); // warms H2's page cache, which is not the handler's memory
    List<Long> heap = new ArrayList<>();
    long baseline = usedHeap();
    Export export = export("/api/v1/export", heap);
    assertThat(export.manifest().getLong("count")).isEqualTo(BULK + RoomStory.events().size()).isEqualTo(export.seqs().size());
    assertThat(export.manifest().getString("sha256")).isEqualTo(export.sha256());
    long max = heap.stream().mapToLong(Long::longValue).max().orElseThrow();
    System.out.printf("export: %,d lines, %,d bytes; heap before %,d, after 2,000 lines %,d, max %,d%n",
        export.seqs().size(), export.bytes(), baseline, heap.get(0), max);
    // flat: once streaming, the heap does not grow with the number of lines sent
    assertThat(max - heap.get(0)).as("heap growth from line 2,000 to the end of %,d bytes", export.bytes())
        .isLessThan(export.bytes() / 4); // holding the export would grow it by more than its size
    assertThat(max - baseline).isLessThan(export.bytes() / 3);
  }

  /** Reads an export line by line; with {@code heap}, samples used heap (after GC) every 2,000 lines. */
  private Export export(String path, List<Long> heap) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(h.base() + path))
        .header("Authorization", "Bearer " + h.tokens.get("alice")).build();
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Long> lines = new ArrayList<>();
    JsonObject manifest = null;
    long bytes = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonObject json = new JsonObject(line);
        if (json.containsKey("manifest")) {
          manifest = json.getJsonObject("manifest");
          assertThat(reader.readLine()).isNull();
          break;
        }
        byte[] raw = (line + "\n").getBytes(StandardCharsets.UTF_8);
        sha.update(raw);
        bytes += raw.length;
        // keep only the seq: the test itself must not hold the export in memory
        lines.add(json.getLong("seq"));
        if (heap != null && lines.size() % 2000 == 0) {
          heap.add(usedHeap());
        }
      }
    }
    assertThat(manifest).as("manifest line").isNotNull();
    return new Export(lines, manifest, HexFormat.of().formatHex(sha.digest()), bytes);
  }

  private static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
