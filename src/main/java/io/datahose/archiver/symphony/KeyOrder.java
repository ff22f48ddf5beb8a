package io.datahose.archiver.symphony;

/**
 * The order of object keys in the {@link CanonicalForm}: Unicode code point order, a lone surrogate counting as the
 * code point of its own value. Not {@link String#compareTo}, which orders UTF-16 units and so puts a supplementary
 * character (a surrogate pair, 0xD800..) before U+E000..U+FFFF. Pure; thread-safe.
 */
final class KeyOrder {

  private KeyOrder() {
  }

  /** @return negative, zero or positive as {@code a} sorts before, with or after {@code b} */
  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == y) {
        continue;
      }
      if (!Character.isSurrogate(x) && !Character.isSurrogate(y)) {
        return x - y;
      }
      // the first differing code point starts at i, or at i - 1 when a shared high surrogate pairs with x or y
      int at = i > 0 && Character.isHighSurrogate(a.charAt(i - 1))
          && (Character.isLowSurrogate(x) || Character.isLowSurrogate(y)) ? i - 1 : i;
      return Integer.compare(a.codePointAt(at), b.codePointAt(at));
    }
    return a.length() - b.length();
  }
}
