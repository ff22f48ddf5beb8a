package io.datahose.archiver.export;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the manifest back from a finished export file, as {@link Exporter} wrote it: the last line of jsonl
 * ({@code {"manifest": …}}), of actiance (the {@code <!-- datahose-archiver manifest … -->} comment) and of csv (the
 * row whose Post Type is {@code manifest}), or the {@code manifest.json} entry of an eml ZIP. Reads only the file's
 * tail, however large it is. Stateless; blocking file I/O.
 */
public final class ExportManifests {

  private static final String COMMENT = "<!-- datahose-archiver manifest ";
  private static final int TAIL = 64 * 1024;

  private ExportManifests() {
  }

  /**
   * @return the manifest of the {@code format} export in {@code file}
   * @throws IOException when the file cannot be read or does not end with a manifest (a truncated export)
   */
  public static JsonObject read(ExportFormat format, Path file) throws IOException {
    try {
      return switch (format) {
        case JSONL -> {
          JsonObject manifest = new JsonObject(lastLine(file)).getJsonObject("manifest");
          if (manifest == null) {
            throw new IOException(file + " does not end with a manifest line");
          }
          yield manifest;
        }
        case ACTIANCE -> {
          String line = lastLine(file);
          if (!line.startsWith(COMMENT) || !line.endsWith(" -->")) {
            throw new IOException(file + " does not end with a manifest comment");
          }
          yield new JsonObject(line.substring(COMMENT.length(), line.length() - 4));
        }
        case CSV -> {
          List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(lastLine(file))).getRecords();
          if (rows.size() != 1 || rows.get(0).size() < 17 || !"manifest".equals(rows.get(0).get(16))) {
            throw new IOException(file + " does not end with a manifest row");
          }
          yield new JsonObject(rows.get(0).get(15));
        }
        case EML -> {
          try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("manifest.json");
            if (entry == null) {
              throw new IOException(file + " has no manifest.json");
            }
            yield new JsonObject(new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      };
    } catch (DecodeException | ClassCastException e) {
      throw new IOException(file + ": the manifest is not JSON: " + e.getMessage(), e);
    }
  }

  /** @return the file's last line without its line end (reading a larger tail until it holds a whole line) */
  private static String lastLine(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long size = in.length();
      for (long tail = TAIL; ; tail *= 2) {
        long start = Math.max(0, size - tail);
        byte[] bytes = new byte[(int) (size - start)];
        in.seek(start);
        in.readFully(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
        int newline = text.lastIndexOf('\n');
        if (newline >= 0 || start == 0) {
          return text.substring(newline + 1);
        }
        if (tail > Integer.MAX_VALUE / 4) {
          throw new IOException(file + ": no line end in its last " + tail + " bytes");
        }
      }
    }
  }
}
