package io.datahose.archiver.symphony;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;

/**
 * The Jackson factory every received byte goes through, and the one translation of its failures.
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
