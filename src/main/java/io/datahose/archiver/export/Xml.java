package io.datahose.archiver.export;

/** XML 1.0 text rules the StAX writer does not apply. Pure. */
final class Xml {

  private Xml() {
  }

  /**
   * @return {@code text} with the characters XML 1.0 cannot carry at all (C0 controls other than tab, line feed and
   * carriage return; unpaired surrogates; U+FFFE/U+FFFF) replaced by U+FFFD; any other text unchanged
   */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(ch)) {
        ok = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        if (ok) {
          if (out != null) {
            out.append(ch).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        ok = ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch < 0xD800) || (ch > 0xDFFF && ch < 0xFFFE);
      }
      if (!ok && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(ok ? ch : '\uFFFD');
      }
    }
    return out == null ? text : out.toString();
  }
}
