package io.datahose.archiver.config;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long each event is kept: {@code retention.default}, overridden by {@code retention.byType} (event type) and
 * {@code retention.byStreamType} (IM, MIM, ROOM, POST). When both overrides apply the longer wins: disposing later
 * than one rule asks is a cost, earlier a breach. Pure: no clock, no I/O.
 */
public record RetentionPolicy(Period defaultPeriod, Map<String, Period> byType, Map<String, Period> byStreamType) {

  /** A retention period: calendar years plus a duration (7y, 30d, 12h); {@link #FOREVER} keeps for good. */
  public record Period(int years, Duration rest, boolean forever) {

    public static final Period FOREVER = new Period(0, Duration.ZERO, true);
    private static final Pattern SYNTAX = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|y)");

    /** @return the period {@code text} spells ({@code 0} = forever), or empty when it is not one */
    public static Optional<Period> parse(String text) {
      if (text == null) {
        return Optional.empty();
      }
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("0")) {
        return Optional.of(FOREVER);
      }
      Matcher m = SYNTAX.matcher(t);
      if (!m.matches()) {
        return Optional.empty();
      }
      long n = Long.parseLong(m.group(1));
      if (n == 0) {
        return Optional.of(FOREVER);
      }
      return Optional.of(switch (m.group(2)) {
        case "y" -> new Period(Math.toIntExact(n), Duration.ZERO, false);
        case "ms" -> new Period(0, Duration.ofMillis(n), false);
        case "s" -> new Period(0, Duration.ofSeconds(n), false);
        case "m" -> new Period(0, Duration.ofMinutes(n), false);
        case "h" -> new Period(0, Duration.ofHours(n), false);
        default -> new Period(0, Duration.ofDays(n), false);
      });
    }

    /** @return the newest time an event may have to be past this period at {@code now}; null for forever */
    public Instant cutoff(Instant now) {
      if (forever) {
        return null;
      }
      return now.atOffset(ZoneOffset.UTC).minusYears(years).toInstant().minus(rest);
    }

    @Override
    public String toString() {
      return forever ? "forever" : (years > 0 ? years + "y" : "") + (rest.isZero() ? "" : rest.toString());
    }
  }

  public RetentionPolicy {
    byType = Map.copyOf(byType);
    byStreamType = Map.copyOf(byStreamType);
  }

  /** @return keep everything forever (the default) */
  public static RetentionPolicy forever() {
    return new RetentionPolicy(Period.FOREVER, Map.of(), Map.of());
  }

  /** @return whether no rule can ever dispose of anything */
  public boolean keepsEverything() {
    return defaultPeriod.forever() && byType.values().stream().allMatch(Period::forever)
        && byStreamType.values().stream().allMatch(Period::forever);
  }

  /** @return the period that applies to an event of {@code type} in a stream of {@code streamType} (either null) */
  public Period periodOf(String type, String streamType) {
    Period t = type == null ? null : byType.get(type);
    Period s = streamType == null ? null : byStreamType.get(streamType);
    if (t != null && s != null) {
      return longer(t, s);
    }
    return t != null ? t : s != null ? s : defaultPeriod;
  }

  /** @return whether an event of that type and stream type, of time {@code at}, is past its retention at {@code now} */
  public boolean expired(String type, String streamType, Instant at, Instant now) {
    Instant cutoff = periodOf(type, streamType).cutoff(now);
    return cutoff != null && at != null && at.isBefore(cutoff);
  }

  private static Period longer(Period a, Period b) {
    if (a.forever() || b.forever()) {
      return Period.FOREVER;
    }
    Instant probe = Instant.parse("2000-01-01T00:00:00Z");
    return a.cutoff(probe).isBefore(b.cutoff(probe)) ? a : b;
  }

  /** @return the policy as JSON, for disposal certificates */
  public JsonObject toJson() {
    JsonObject types = new JsonObject();
    new TreeMap<>(byType).forEach((k, v) -> types.put(k, v.toString()));
    JsonObject streams = new JsonObject();
    new TreeMap<>(byStreamType).forEach((k, v) -> streams.put(k, v.toString()));
    return new JsonObject().put("default", defaultPeriod.toString()).put("byType", types).put("byStreamType", streams);
  }
}
