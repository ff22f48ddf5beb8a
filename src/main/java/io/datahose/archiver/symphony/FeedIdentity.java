package io.datahose.archiver.symphony;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What names a Datahose feed on the Agent: the tag, the event-type filter and the scopes (sorted, so that a
 * reordered list in the configuration is the same feed). A read with another identity creates another, empty
 * feed; the archive keeps the identity with each cursor so that a configuration change is seen, not silently
 * followed. {@code eventTypes} empty means a cursor from before identities were kept (its filter is unknown).
 */
public record FeedIdentity(String tag, List<String> eventTypes, List<String> scopes) {

  public FeedIdentity {
    Objects.requireNonNull(tag, "tag");
    eventTypes = List.copyOf(new TreeSet<>(eventTypes));
    scopes = List.copyOf(new TreeSet<>(scopes));
  }

  /** @return the identity of a feed known by its tag only (tools and tests that do not read a real feed) */
  public static FeedIdentity tagOnly(String tag) {
    return new FeedIdentity(tag, List.of(), List.of());
  }

  /** @return the identity as stored: {@code TYPE,TYPE} and {@code SCOPE,SCOPE} (empty = unknown / all scopes) */
  public String typesColumn() {
    return String.join(",", eventTypes);
  }

  public String scopesColumn() {
    return String.join(",", scopes);
  }

  /** @return an identity read back from its stored columns */
  public static FeedIdentity fromColumns(String tag, String types, String scopes) {
    return new FeedIdentity(tag, split(types), split(scopes));
  }

  private static List<String> split(String column) {
    return column == null || column.isEmpty() ? List.of() : List.of(column.split(","));
  }

  /** @return for logs and the capture ledger: {@code tag 'x', types [A, B], scopes all} */
  public String describe() {
    return "tag '" + tag + "', types " + (eventTypes.isEmpty() ? "(not recorded)" : eventTypes) + ", scopes "
        + (scopes.isEmpty() ? "all" : scopes);
  }
}
