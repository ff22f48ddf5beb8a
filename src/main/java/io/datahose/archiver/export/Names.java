package io.datahose.archiver.export;

/** Text helpers of the EML writer: HTML escaping and file-name-safe names. Pure. */
final class Names {

  private Names() {
  }

  /** @return {@code text} escaped for HTML element content and attribute values */
  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** @return {@code text} with characters unsafe in a file name (path separators, controls, quotes) as '_', cut */
  static String safe(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    text.codePoints().limit(max).forEach(cp -> {
      boolean bad = cp < 0x20 || cp == 0x7F || "/\\:*?\"<>|".indexOf(cp) >= 0;
      out.appendCodePoint(bad ? '_' : cp);
    });
    return out.toString();
  }
}
