package io.datahose.archiver.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one duration syntax of configuration and command line: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {
  }

  /** @return the duration {@code text} spells, or empty when it is not one (zero is a duration) */
  public static Optional<Duration> parse(String text) {
    Matcher m = text == null ? null : DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n); // export deliveries are daily: "every: 1d"
    });
  }
}
