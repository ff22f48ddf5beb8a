package io.datahose.archiver.cli;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code export --format … --out FILE} and {@code export deliveries} on an archive file (daemon stopped). */
@DisplayName("Export command")
class ExportCommandTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("writes each format to a 0600 file that parses and carries its manifest; bad arguments exit 2; deliveries lists none")
  void exportsEachFormat() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "database:\n  path: \"" + dir.resolve("archive") + "\"\n  fsync: never\n");
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), false)) {
      new Archive(db).storeJson("t", 0, new EventGenerator(3).next(300), "ack-1");
    }
    Path xml = dir.resolve("out.xml");
    assertThat(run("export", "--config", config.toString(), "--format", "actiance", "--out", xml.toString()))
        .contains("export: actiance, 300 events");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(xml))).isEqualTo("rw-------");
    assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getDocumentElement()
        .getTagName()).isEqualTo("FileDump");
    assertThat(Files.readString(xml)).contains("<!-- datahose-archiver manifest {");

    Path csv = dir.resolve("out.csv");
    assertThat(run("export", "--config", config.toString(), "--format", "csv", "--out", csv.toString(),
        "--type", "MESSAGESENT")).contains("export: csv");
    String text = Files.readString(csv, StandardCharsets.UTF_8);
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text.substring(1))).getRecords();
    JsonObject manifest = new JsonObject(rows.get(rows.size() - 1).get("Post Message"));
    assertThat(manifest.getJsonObject("byType").fieldNames()).containsOnly("MESSAGESENT");

    Path jsonl = dir.resolve("out.jsonl");
    assertThat(run("export", "--config", config.toString(), "--format", "jsonl", "--out", jsonl.toString())).contains("300 events");
    List<String> lines = Files.readAllLines(jsonl);
    assertThat(lines).hasSize(301);
    assertThat(new JsonObject(lines.get(300)).getJsonObject("manifest").getLong("count")).isEqualTo(300);

    assertThat(Main.execute("export", "--config", config.toString(), "--format", "pdf", "--out", "x")).isEqualTo(2);
    assertThat(Main.execute("export", "--config", config.toString(), "--out", "x", "--from", "yesterday"))
        .isEqualTo(2);
    assertThat(Files.exists(Path.of("x"))).isFalse();
    assertThat(run("export", "deliveries", "--config", config.toString())).contains("0 deliveries");
  }

  /** @return stdout of the command (empty when it failed) */
  private static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      return Main.execute(args) == 0 ? bytes.toString(StandardCharsets.UTF_8) : "";
    } finally {
      System.setOut(old);
    }
  }
}
