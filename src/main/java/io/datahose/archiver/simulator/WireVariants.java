package io.datahose.archiver.simulator;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Spells events on the wire as other JSON writers may: for a share of calls, the text of the same JSON value with
 * {@code \}{@code uXXXX} escapes (non-ASCII and some ASCII letters), {@code \/}, extra whitespace between tokens,
 * integers in exponent or fraction form ({@code 1767225600000} as {@code 1.7672256E12}: exactly the same value, and
 * only below 2^53 so the double a decoder makes of it is exact too) and reordered keys. Otherwise the text is
 * {@code event.encode()}. A variant always differs from {@code encode()}; every call draws anew, so a redelivery may
 * be spelled differently from the first delivery, but never as a different value.
 *
 * <p>Deterministic for a seed and a sequence of calls. Not thread-safe: confined to the simulator's event loop.
 */
final class WireVariants {

  private static final String[] SPACES = {" ", "  ", "\n", "\t", "\r\n", " \n\t "};
  private static final long EXACT_IN_DOUBLE = 1L << 53;

  private final double share;
  private final Random random;

  /** @param share the probability (0..1) that a call returns a variant */
  WireVariants(double share, long seed) {
    this.share = share;
    this.random = new Random(seed);
  }

  /** @return the wire text of {@code event}: {@code event.encode()} or, for a share of calls, a variant of it */
  String spell(JsonObject event) {
    String plain = event.encode();
    if (share <= 0 || random.nextDouble() >= share) {
      return plain;
    }
    StringBuilder out = new StringBuilder(plain.length() + plain.length() / 4);
    value(event, out);
    String variant = out.toString();
    return variant.equals(plain) ? "{ " + variant.substring(1) : variant;
  }

  private void value(Object value, StringBuilder out) {
    if (value instanceof JsonObject object) {
      object(object.getMap(), out);
    } else if (value instanceof Map<?, ?> map) {
      object(map, out);
    } else if (value instanceof JsonArray array) {
      array(array.getList(), out);
    } else if (value instanceof List<?> list) {
      array(list, out);
    } else if (value instanceof String text) {
      WireStrings.write(text, random, out);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      integer(((Number) value).longValue(), out);
    } else if (value instanceof BigInteger big && big.bitLength() < 63) {
      integer(big.longValue(), out);
    } else {
      fraction(Json.encode(value), out); // Double, Float, BigDecimal, Instant, byte[]...: as encode() writes them
    }
  }

  private void object(Map<?, ?> map, StringBuilder out) {
    List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
    if (random.nextBoolean()) {
      Collections.shuffle(entries, random);
    }
    out.append('{');
    for (int i = 0; i < entries.size(); i++) {
      space(out);
      if (i > 0) {
        out.append(',');
        space(out);
      }
      WireStrings.write(String.valueOf(entries.get(i).getKey()), random, out);
      space(out);
      out.append(':');
      space(out);
      value(entries.get(i).getValue(), out);
    }
    space(out);
    out.append('}');
  }

  private void array(List<?> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      space(out);
      if (i > 0) {
        out.append(',');
        space(out);
      }
      value(list.get(i), out);
    }
    space(out);
    out.append(']');
  }

  private void integer(long value, StringBuilder out) {
    if (Math.abs(value) >= EXACT_IN_DOUBLE || random.nextBoolean()) {
      out.append(value);
      return;
    }
    if (value == 0) {
      out.append(random.nextBoolean() ? "-0" : random.nextBoolean() ? "0.0" : "0E+3");
      return;
    }
    String digits = Long.toString(Math.abs(value));
    out.append(value < 0 ? "-" : "");
    switch (random.nextInt(3)) {
      case 0 -> {
        String significant = digits.replaceFirst("0+$", "");
        out.append(significant.charAt(0));
        if (significant.length() > 1) {
          out.append('.').append(significant, 1, significant.length());
        }
        out.append(random.nextBoolean() ? 'E' : 'e').append(random.nextBoolean() ? "+" : "")
            .append(digits.length() - 1);
      }
      case 1 -> out.append(digits).append(".0");
      default -> out.append(digits).append("0e-1");
    }
  }

  private void fraction(String encoded, StringBuilder out) {
    boolean number = !encoded.isEmpty() && (Character.isDigit(encoded.charAt(0)) || encoded.charAt(0) == '-');
    if (!number || encoded.contains("E") || !encoded.contains(".")) {
      out.append(encoded);
    } else {
      out.append(encoded).append(random.nextBoolean() ? "0" : "e0");
    }
  }

  private void space(StringBuilder out) {
    if (random.nextInt(4) == 0) {
      out.append(SPACES[random.nextInt(SPACES.length)]);
    }
  }
}
