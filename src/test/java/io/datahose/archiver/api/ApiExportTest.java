package io.datahose.archiver.api;

import io.datahose.archiver.symphony.EventIdentity;
import io.vertx.core.json.JsonObject;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /export}: JSON Lines of the raw events in archive order, each ending with the stored bytes verbatim,
 * with a manifest whose count and SHA-256 match the lines, streamed in constant memory. The 20,000 extra events and
 * the {@link StoredBytes} samples go straight into the raw log (export reads only that table) so the test does not
 * wait for ingest and projections. Lines are read as bytes and split as docs/api.md tells an officer to.
 */
@DisplayName("Query API export")
class ApiExportTest {

  private static final byte[] EVENT_MEMBER = ",\"event\":".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  static Path dir;
  static ApiHarness h;
  static final int BULK = 20_000;
  static Map<Long, byte[]> stored;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 0, RoomStory.events());
    bulkInsert(h.pod.simulator().generator().next(BULK));
    stored = StoredBytes.insert(h.daemon.database().dsl());
  }

  private static void bulkInsert(List<JsonObject> events) {
    // one transaction: in autocommit H2 commits (and writes the file) once per row of the batch
    h.daemon.database().dsl().transaction(cfg -> {
      DSLContext dsl = DSL.using(cfg);
      BatchBindStep batch = dsl.batch(dsl.insertInto(EVENT, EVENT.SEQ, EVENT.SHA256, EVENT.TYPE, EVENT.RECEIVED_AT,
          EVENT.READER_SLOT, EVENT.RAW_BYTES, EVENT.RAW_SHA256).values((Long) null, null, null, null, null, null, null));
      long seq = 10_000_000;
      for (JsonObject e : events) {
        byte[] bytes = e.encode().getBytes(StandardCharsets.UTF_8);
        batch.bind(seq++, EventIdentity.of(e), e.getString("type"), OffsetDateTime.now(), 0, bytes,
            StoredBytes.sha256(bytes));
      }
      batch.execute();
    });
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

  /**
   * An event line cut where docs/api.md says: the members before {@code ,"event":} and the bytes after it; or, for
   * bytes holding a line break, the line's {@code eventBase64} decoded.
   */
  record Line(JsonObject members, byte[] event) {
    static Line of(byte[] line) {
      int at = indexOf(line, EVENT_MEMBER);
      if (at < 0) {
        JsonObject whole = new JsonObject(new String(line, StandardCharsets.UTF_8));
        assertThat(whole.getString("eventBase64")).as("a line has an event or eventBase64 member").isNotNull();
        byte[] raw = java.util.Base64.getDecoder().decode(whole.getString("eventBase64"));
        assertThat(raw).as("only bytes with a line break travel as base64").containsAnyOf((byte) '\n', (byte) '\r');
        return new Line(whole, raw);
      }
      assertThat(at).as("a line has an event member").isPositive();
      assertThat(line[line.length - 1]).as("a line ends with }").isEqualTo((byte) '}');
      byte[] members = Arrays.copyOf(line, at + 1);
      members[at] = '}';
      return new Line(new JsonObject(new String(members, StandardCharsets.UTF_8)),
          Arrays.copyOfRange(line, at + EVENT_MEMBER.length, line.length - 1));
    }
  }

  @Test
  @DisplayName("The manifest's count, first/last seq and SHA-256 match the exported lines of a filtered export")
  void manifestMatchesLines() throws Exception {
    Export export = export("/api/v1/export?stream=" + RoomStory.ROOM, null, line -> { });
    assertThat(export.seqs()).hasSize(RoomStory.events().size()).isSorted().doesNotHaveDuplicates();
    assertThat(export.manifest().getLong("count")).isEqualTo(export.seqs().size());
    assertThat(export.manifest().getString("sha256")).isEqualTo(export.sha256());
    assertThat(export.manifest().getLong("firstSeq")).isEqualTo(export.seqs().get(0));
    assertThat(export.manifest().getLong("lastSeq")).isEqualTo(export.seqs().get(export.seqs().size() - 1));
    Export none = export("/api/v1/export?type=CONNECTIONACCEPTED&stream=none", null, line -> { });
    assertThat(none.manifest().getLong("count")).isZero();
  }

  @Test
  @DisplayName("Each line ends with the event's stored bytes, verbatim, and they hash to the line's rawSha256")
  void linesCarryTheStoredBytes() throws Exception {
    Map<Long, byte[]> exported = new LinkedHashMap<>();
    Export export = export("/api/v1/export?stream=" + StoredBytes.STREAM, null, line -> {
      exported.put(line.members().getLong("seq"), line.event());
      assertThat(line.members().getString("rawSha256")).as("rawSha256 of seq %d", line.members().getLong("seq"))
          .isEqualTo(StoredBytes.sha256(line.event()));
      assertThat(line.members().getString("type")).isEqualTo(StoredBytes.TYPE);
      assertThat(line.members().getString("sha256")).hasSize(64);
    });
    assertThat(exported.keySet()).containsExactlyElementsOf(stored.keySet());
    stored.forEach((seq, bytes) -> assertThat(exported.get(seq)).as("bytes of seq %d", seq).isEqualTo(bytes));
    assertThat(export.manifest().getLong("count")).isEqualTo(stored.size());
    assertThat(export.manifest().getString("sha256")).isEqualTo(export.sha256());
  }

  @Test
  @DisplayName("Events archived through the ingest path export the bytes the raw log holds, with their hash")
  void ingestedEventsExportTheirBytes() throws Exception {
    Map<Long, byte[]> inArchive = new LinkedHashMap<>();
    h.daemon.database().dsl().select(EVENT.SEQ, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE).from(EVENT)
        .where(EVENT.STREAM_ID.eq(RoomStory.ROOM)).orderBy(EVENT.SEQ)
        .forEach(r -> inArchive.put(r.value1(), r.value2() != null ? r.value2() : r.value3()));
    Map<Long, byte[]> exported = new LinkedHashMap<>();
    export("/api/v1/export?stream=" + RoomStory.ROOM, null, line -> {
      exported.put(line.members().getLong("seq"), line.event());
      assertThat(line.members().getString("rawSha256")).isEqualTo(StoredBytes.sha256(line.event()));
      assertThat(new JsonObject(new String(line.event(), StandardCharsets.UTF_8)).getString("type"))
          .isEqualTo(line.members().getString("type"));
    });
    assertThat(exported.keySet()).hasSize(RoomStory.events().size()).containsExactlyElementsOf(inArchive.keySet());
    inArchive.forEach((seq, bytes) -> assertThat(exported.get(seq)).as("bytes of seq %d", seq).isEqualTo(bytes));
  }

  @Test
  @DisplayName("Exporting over 20,000 events keeps the heap flat and the manifest matches every line")
  void largeExportInConstantMemory() throws Exception {
    export("/api/v1/export", null, line -> { }); // warms H2's page cache, which is not the handler's memory
    List<Long> heap = new ArrayList<>();
    long baseline = usedHeap();
    Export export = export("/api/v1/export", heap, line -> { });
    assertThat(export.manifest().getLong("count")).isEqualTo(BULK + RoomStory.events().size() + stored.size())
        .isEqualTo(export.seqs().size());
    assertThat(export.manifest().getString("sha256")).isEqualTo(export.sha256());
    long max = heap.stream().mapToLong(Long::longValue).max().orElseThrow();
    System.out.printf("export: %,d lines, %,d bytes; heap before %,d, after 2,000 lines %,d, max %,d%n",
        export.seqs().size(), export.bytes(), baseline, heap.get(0), max);
    // flat: once streaming, the heap does not grow with the number of lines sent
    assertThat(max - heap.get(0)).as("heap growth from line 2,000 to the end of %,d bytes", export.bytes())
        // holding the export would grow it by more than its size; H2's page cache (in this heap) and the page of 500
        // rows in flight (one of them 1.2 MB) account for up to a quarter of it under load
        .isLessThan(export.bytes() / 2);
    assertThat(max - baseline).isLessThan(export.bytes() / 3);
  }

  /**
   * Reads an export as bytes, line by line, handing each event line to {@code check}; with {@code heap}, samples
   * used heap (after GC) every 2,000 lines.
   */
  private Export export(String path, List<Long> heap, Consumer<Line> check) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(h.base() + path))
        .header("Authorization", "Bearer " + h.tokens.get("alice")).build();
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Long> lines = new ArrayList<>();
    JsonObject manifest = null;
    long bytes = 0;
    try (InputStream in = new BufferedInputStream(response.body())) {
      for (byte[] line = readLine(in); line != null; line = readLine(in)) {
        if (startsWith(line, "{\"manifest\"")) {
          manifest = new JsonObject(new String(line, StandardCharsets.UTF_8)).getJsonObject("manifest");
          assertThat(readLine(in)).as("nothing after the manifest").isNull();
          break;
        }
        sha.update(line);
        sha.update((byte) '\n');
        bytes += line.length + 1;
        Line parsed = Line.of(line);
        check.accept(parsed);
        // keep only the seq: the test itself must not hold the export in memory
        lines.add(parsed.members().getLong("seq"));
        if (heap != null && lines.size() % 2000 == 0) {
          heap.add(usedHeap());
        }
      }
    }
    assertThat(manifest).as("manifest line").isNotNull();
    return new Export(lines, manifest, HexFormat.of().formatHex(sha.digest()), bytes);
  }

  /** @return the next line without its {@code \n}, null at the end; a last line without {@code \n} fails */
  private static byte[] readLine(InputStream in) throws java.io.IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); ; b = in.read()) {
      if (b == '\n') {
        return line.toByteArray();
      }
      if (b < 0) {
        assertThat(line.size()).as("the export ends with a newline").isZero();
        return null;
      }
      line.write(b);
    }
  }

  private static boolean startsWith(byte[] line, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    return line.length >= p.length && Arrays.equals(line, 0, p.length, p, 0, p.length);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
