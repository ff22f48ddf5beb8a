package io.datahose.archiver.simulator;

import java.util.Random;

/**
 * Writes a JSON string as other writers may spell it, for {@link WireVariants}: per string, non-ASCII characters
 * raw or all as {@code \}{@code uXXXX} (surrogate pairs as two escapes); sometimes ASCII letters and {@code /}
 * escaped; {@code "}, {@code \} and control characters in their short or {@code \}{@code u} form, hex in either case.
 * A lone surrogate is written as {@code ?}, as Vert.x's {@code encode()} does, so the variant has the value that
 * {@code encode()} puts on the wire. Pure apart from the random draws.
 */
final class WireStrings {

  private WireStrings() {
  }

  static void write(String text, Random random, StringBuilder out) {
    boolean escapeNonAscii = random.nextBoolean();
    boolean escapeLetters = random.nextInt(4) == 0;
    boolean upperHex = random.nextBoolean();
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        if (random.nextBoolean()) {
          out.append('\\').append(c);
        } else {
          unicode(c, upperHex, out);
        }
      } else if (c < 0x20) {
        control(c, random.nextBoolean(), upperHex, out);
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (escapeNonAscii) {
          unicode(c, upperHex, out);
          unicode(text.charAt(i + 1), upperHex, out);
        } else {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        out.append('?');
      } else if (c > 0x7E && escapeNonAscii) {
        unicode(c, upperHex, out);
      } else if (c == '/' && random.nextInt(3) == 0) {
        out.append("\\/");
      } else if (escapeLetters && Character.isLetter(c) && c < 0x80 && random.nextInt(5) == 0) {
        unicode(c, upperHex, out);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static void control(char c, boolean shortForm, boolean upperHex, StringBuilder out) {
    String shortEscape = switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      default -> null;
    };
    if (shortForm && shortEscape != null) {
      out.append(shortEscape);
    } else {
      unicode(c, upperHex, out);
    }
  }

  private static void unicode(char c, boolean upperHex, StringBuilder out) {
    String digits = upperHex ? "0123456789ABCDEF" : "0123456789abcdef";
    out.append("\\u");
    for (int shift = 12; shift >= 0; shift -= 4) {
      out.append(digits.charAt((c >>> shift) & 0xF));
    }
  }
}
