package io.datahose.archiver.archive;

import java.util.Map;
import java.util.TreeMap;

/**
 * Last-writer-wins versions of a row's fields, so that state built from events does not depend on the order they
 * arrive in: Datahose has no ordering guarantee and redelivers ~30 s late. A field's value is taken from the event
 * with the greatest {@link Version} (its own time, then seq) that carried the field; a late old event never
 * overwrites newer state. Kept in the row's {@code field_versions} column as {@code name=epochMillis:seq;…}
 * (names sorted). Pure; not thread-safe (one instance per row, confined to the storing thread).
 */
final class Versions {

  /** Version of an event: its own time (epoch ms), then its seq. */
  record Version(long at, long seq) implements Comparable<Version> {

    @Override
    public int compareTo(Version other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }

    boolean isAfter(Version other) {
      return other == null || compareTo(other) > 0;
    }
  }

  private final TreeMap<String, Version> byField = new TreeMap<>();

  private Versions() {
  }

  /** @return the versions stored in {@code text} (null or empty: none) */
  static Versions parse(String text) {
    Versions versions = new Versions();
    if (text == null || text.isEmpty()) {
      return versions;
    }
    for (String entry : text.split(";")) {
      int eq = entry.indexOf('=');
      int colon = entry.lastIndexOf(':');
      if (eq <= 0 || colon < eq) {
        continue; // unreadable entry: the field is treated as never set, the next event sets it
      }
      try {
        versions.byField.put(entry.substring(0, eq), new Version(Long.parseLong(entry.substring(eq + 1, colon)),
            Long.parseLong(entry.substring(colon + 1))));
      } catch (NumberFormatException e) {
        // same as above
      }
    }
    return versions;
  }

  /**
   * Offers {@code version} for {@code field}.
   *
   * @return true when it is newer than the field's stored version (then it becomes the stored one): the caller sets
   *     the value; false when the stored value is newer and must be kept
   */
  boolean offer(String field, Version version) {
    if (!version.isAfter(byField.get(field))) {
      return false;
    }
    byField.put(field, version);
    return true;
  }

  /** @return the text for {@code field_versions} */
  String format() {
    StringBuilder out = new StringBuilder(byField.size() * 28);
    for (Map.Entry<String, Version> e : byField.entrySet()) {
      if (out.length() > 0) {
        out.append(';');
      }
      out.append(e.getKey()).append('=').append(e.getValue().at()).append(':').append(e.getValue().seq());
    }
    return out.toString();
  }
}
