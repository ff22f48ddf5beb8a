package io.datahose.archiver.export;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The export formats: the raw events as JSON Lines, and three conversation formats downstream archives ingest. */
public enum ExportFormat {
  /** The raw events verbatim, one JSON line each, then a manifest line. */
  JSONL("application/x-ndjson", "jsonl"),
  /** Actiance (Smarsh) XML: a {@code <FileDump>} with a {@code <Conversation>} per stream per UTC day. */
  ACTIANCE("application/xml", "xml"),
  /** Global Relay style: a ZIP of RFC 5322 messages, one per stream per UTC day, and {@code manifest.json}. */
  EML("application/zip", "zip"),
  /** RFC 4180 CSV in UTF-8 with a BOM, one row per message version, membership change and attachment. */
  CSV("text/csv; charset=UTF-8", "csv");

  private final String contentType;
  private final String extension;

  ExportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  /** @return the HTTP Content-Type of the format */
  public String contentType() {
    return contentType;
  }

  /** @return the file name extension of the format, without a dot */
  public String extension() {
    return extension;
  }

  /** @return the name used in URLs, the CLI and the configuration */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the labels of every format */
  public static List<String> labels() {
    return Arrays.stream(values()).map(ExportFormat::label).toList();
  }

  /** @throws IllegalArgumentException naming the allowed values */
  public static ExportFormat parse(String label) {
    for (ExportFormat f : values()) {
      if (f.label().equals(label)) {
        return f;
      }
    }
    throw new IllegalArgumentException("must be one of " + labels() + " (got '" + label + "')");
  }
}
