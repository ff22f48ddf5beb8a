package io.datahose.archiver.api;

import io.datahose.archiver.query.QueryException;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Strict query-parameter parsing for one request: only the route's known parameters, each at most once, at most
 * {@value #MAX_LENGTH} characters, valid UTF-8; times as ISO-8601 (with offset, or UTC) or epoch milliseconds,
 * from 1970 to year 9999;
 * {@code limit} 1..1000 (default 100); reversed time ranges refused. Every problem is a
 * {@link QueryException} 400 naming the parameter. Pure; used on the event loop.
 */
final class Params {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final int MAX_LENGTH = 1000;
  private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime LATEST = OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private final MultiMap params;

  private Params(MultiMap params) {
    this.params = params;
  }

  /** @throws QueryException 400 for a parameter not in {@code allowed}, repeated, too long or not UTF-8 */
  static Params of(RoutingContext ctx, Set<String> allowed) {
    MultiMap params = ctx.queryParams();
    for (String name : params.names()) {
      if (!allowed.contains(name)) {
        throw QueryException.badInput("unknown parameter; this route accepts " + allowed);
      }
      if (params.getAll(name).size() > 1) {
        throw QueryException.badInput("parameter '" + name + "' given more than once");
      }
      String value = params.get(name);
      if (value.length() > MAX_LENGTH) {
        throw QueryException.badInput("parameter '" + name + "' is longer than " + MAX_LENGTH + " characters");
      }
      if (value.indexOf('\uFFFD') >= 0 || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
        throw QueryException.badInput("parameter '" + name + "' is not valid UTF-8 text");
      }
    }
    return new Params(params);
  }

  String string(String name) {
    String value = params.get(name);
    if (value != null && value.isEmpty()) {
      throw QueryException.badInput("parameter '" + name + "' is empty; leave it out instead");
    }
    return value;
  }

  Long longValue(String name) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw QueryException.badInput("parameter '" + name + "' must be a number (a Symphony user id)");
    }
  }

  Boolean bool(String name) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw QueryException.badInput("parameter '" + name + "' must be true or false");
    };
  }

  OffsetDateTime time(String name) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    OffsetDateTime time;
    try {
      if (value.matches("-?\\d{1,15}")) {
        time = Instant.ofEpochMilli(Long.parseLong(value)).atOffset(ZoneOffset.UTC);
      } else {
        time = OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      throw QueryException.badInput("parameter '" + name + "' must be ISO-8601 (2026-01-31T09:00:00Z) or epoch ms");
    }
    // the database's timestamps do not reach year -999999999; nothing archived predates 1970
    if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
      throw QueryException.badInput("parameter '" + name + "' must be from 1970-01-01T00:00:00Z to 9999-12-31");
    }
    return time;
  }

  /** @return [from, to] after checking from &lt; to when both are given */
  OffsetDateTime[] range() {
    OffsetDateTime from = time("from");
    OffsetDateTime to = time("to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw QueryException.badInput("'from' must be before 'to'");
    }
    return new OffsetDateTime[] {from, to};
  }

  int limit() {
    String value = string("limit");
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // falls through to the same answer as out of range
    }
    throw QueryException.badInput("parameter 'limit' must be an integer from 1 to " + MAX_LIMIT);
  }

  /** @return {@code value} when it is one of {@code allowed}, else a 400 listing them */
  String oneOf(String name, java.util.Collection<String> allowed) {
    String value = string(name);
    if (value != null && !allowed.contains(value)) {
      throw QueryException.badInput("parameter '" + name + "' must be one of " + allowed);
    }
    return value;
  }
}
