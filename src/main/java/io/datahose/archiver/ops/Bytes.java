package io.datahose.archiver.ops;

import java.util.Locale;

/** Human-readable byte sizes for logs, health and CLI output. Stateless. */
final class Bytes {

  private Bytes() {
  }

  /** @return e.g. "512 B", "3.4 MB", "1.2 GB" (powers of 1024) */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
