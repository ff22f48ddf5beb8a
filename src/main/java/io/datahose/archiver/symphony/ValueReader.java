package io.datahose.archiver.symphony;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value from a Jackson token stream in a single pass and builds, together, the parsed view (the
 * Map/List/String/Integer/Long/BigInteger/Double/Boolean tree Vert.x's {@code new JsonObject(String)} would build:
 * wire key order, a duplicate key's last value; one exception: a fraction or exponent literal whose value is a whole
 * number within long range is a Long, so {@code 1.7672256E12} and {@code 1767225600000} give the same view) and the
 * {@link CanonicalForm} its identity is hashed from.
 *
 * <p>What a view cannot hold is reported, never thrown: a value nested deeper than {@value #MAX_DEPTH} levels (Vert.x
 * would refuse it) or a number longer than {@value #MAX_VIEW_NUMBER} characters (slow to convert) has no view;
 * duplicate keys and too deep a value have no canonical form (their identity is the received bytes). Only invalid
 * JSON throws (an IOException from Jackson). One instance per token stream; not thread-safe.
 */
final class ValueReader {

  static final int MAX_DEPTH = 1000;
  static final int MAX_VIEW_NUMBER = 1000;

  private final JsonParser parser;
  private final CanonicalForm canonical = new CanonicalForm();
  private String duplicateKey;
  private String viewProblem;
  private boolean tooDeep;

  /** Thrown inside a value that is too deep; caught by {@link #read()} which skips the rest of the value. */
  private static final class TooDeep extends RuntimeException {
    TooDeep() {
      super(null, null, false, false);
    }
  }

  ValueReader(JsonParser parser) {
    this.parser = parser;
  }

  /**
   * Reads the value whose first token is the parser's current token; leaves the parser on the value's last token.
   *
   * @return what was read; {@link #canonicalText()} holds its canonical form until the next call
   * @throws IOException when the input is not valid JSON
   */
  ParsedValue read() throws IOException {
    canonical.clear();
    duplicateKey = null;
    viewProblem = null;
    tooDeep = false;
    JsonToken first = parser.currentToken();
    JsonStreamContext home = first.isStructStart() ? parser.getParsingContext().getParent() : parser.getParsingContext();
    Object view;
    try {
      view = value(first, 0);
    } catch (TooDeep e) {
      while (parser.getParsingContext() != home) {
        parser.nextToken();
      }
      tooDeep = true;
      view = null;
      viewProblem = "event nests deeper than " + MAX_DEPTH + " levels";
    }
    String note = null;
    if (tooDeep) {
      note = "nests deeper than " + MAX_DEPTH + " levels: identity is the received bytes";
    } else if (duplicateKey != null) {
      note = "duplicate key " + CanonicalForm.quote(cut(duplicateKey)) + ": identity is the received bytes";
    }
    String identity = note == null ? EventIdentity.ofCanonical(canonical.bytes(), canonical.length()) : null;
    return new ParsedValue(first, view, identity, note, viewProblem);
  }

  /** @return the canonical text of the value last read, or null when it has none (duplicate keys, too deep) */
  String canonicalText() {
    return tooDeep || duplicateKey != null ? null : canonical.text();
  }

  private Object value(JsonToken token, int depth) throws IOException {
    switch (token) {
      case START_OBJECT:
        return object(depth + 1);
      case START_ARRAY:
        return array(depth + 1);
      case VALUE_STRING:
        canonical.string(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return number();
      case VALUE_TRUE:
        canonical.put("true");
        return Boolean.TRUE;
      case VALUE_FALSE:
        canonical.put("false");
        return Boolean.FALSE;
      case VALUE_NULL:
        canonical.put("null");
        return null;
      default:
        throw new IllegalStateException("unexpected token " + token + " at the start of a value");
    }
  }

  private Map<String, Object> object(int depth) throws IOException {
    checkDepth(depth);
    Map<String, Object> map = new LinkedHashMap<>();
    canonical.put('{');
    int from = canonical.length();
    List<CanonicalForm.Member> members = new ArrayList<>();
    String key;
    while ((key = parser.nextFieldName()) != null) {
      if (!members.isEmpty()) {
        canonical.put(',');
      }
      int start = canonical.length();
      canonical.string(key);
      canonical.put(':');
      map.put(key, value(parser.nextToken(), depth));
      members.add(new CanonicalForm.Member(key, start, canonical.length()));
    }
    String duplicate = canonical.sortMembers(from, members);
    if (duplicate != null && duplicateKey == null) {
      duplicateKey = duplicate;
    }
    canonical.put('}');
    return map;
  }

  private List<Object> array(int depth) throws IOException {
    checkDepth(depth);
    List<Object> list = new ArrayList<>();
    canonical.put('[');
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (!list.isEmpty()) {
        canonical.put(',');
      }
      list.add(value(token, depth));
    }
    canonical.put(']');
    return list;
  }

  private Object number() throws IOException {
    int length = parser.getTextLength();
    char[] text = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT && text[offset + length - 1] != '0') {
      canonical.put(text, offset, length); // already canonical: an integer without trailing zeros
    } else {
      canonical.put(CanonicalNumber.of(text, offset, length));
    }
    if (length > MAX_VIEW_NUMBER) {
      viewProblem = "event holds a number of " + length + " characters, more than the parsed view takes ("
          + MAX_VIEW_NUMBER + ")";
      return null;
    }
    if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
      Long integral = integral(new String(text, offset, length));
      if (integral != null) {
        return integral; // 1.7672256E12 and 1767225600000 are one value: the view must not depend on the spelling
      }
    }
    return parser.getNumberValue();
  }

  /** @return the value of a decimal literal when it is a whole number within long range, else null */
  static Long integral(String literal) {
    try {
      java.math.BigDecimal value = new java.math.BigDecimal(literal);
      if (value.signum() == 0) {
        return 0L;
      }
      // digits before the point; checked before any exact conversion so 1e999999999 costs nothing
      if (value.precision() - value.scale() > 19) {
        return null;
      }
      java.math.BigDecimal stripped = value.stripTrailingZeros();
      return stripped.scale() <= 0 ? stripped.longValueExact() : null;
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new TooDeep();
    }
  }

  private static String cut(String key) {
    return key.length() <= 100 ? key : key.substring(0, 100) + "…";
  }
}
