package io.datahose.archiver.symphony;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.function.BiFunction;

/**
 * The Jackson factory every received byte goes through, single-value parsing, and the one translation of Jackson's
 * failures.
 *
 * <p>Jackson's default read constraints (1,000 nesting levels, 1,000-character numbers, 20 M-character strings) would
 * fail a whole read response for one odd event, and a failed response is retried for ever: the feed would be wedged.
 * So the limits are lifted here, and {@link ValueReader} decides per event what it can hold instead. Strict JSON
 * otherwise (Jackson defaults: no comments, no NaN, no leading zeros, no trailing commas). Thread-safe.
 */
final class JsonInput {

  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(Integer.MAX_VALUE)
          .maxNumberLength(Integer.MAX_VALUE)
          .maxStringLength(Integer.MAX_VALUE)
          .maxNameLength(Integer.MAX_VALUE)
          .build())
      .build();

  private JsonInput() {
  }

  /**
   * Parses {@code json}, which must hold exactly one JSON value (whitespace around it allowed).
   *
   * @throws IllegalArgumentException when it does not
   */
  static <T> T single(byte[] json, BiFunction<ValueReader, ParsedValue, T> result) {
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() == null) {
        throw new IllegalArgumentException("no JSON value");
      }
      ValueReader reader = new ValueReader(p);
      ParsedValue value = reader.read();
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("content after the JSON value");
      }
      return result.apply(reader, value);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** @return {@code e} as the {@link IllegalArgumentException} the parsers promise, with the byte offset when known */
  static IllegalArgumentException malformed(IOException e) {
    if (e instanceof JsonProcessingException json) {
      JsonLocation at = json.getLocation();
      String where = at == null || at.getByteOffset() < 0 ? "" : " at byte " + at.getByteOffset();
      return new IllegalArgumentException("not valid JSON" + where + ": " + json.getOriginalMessage(), e);
    }
    return new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
  }
}
