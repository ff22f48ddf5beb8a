package io.datahose.archiver.symphony;

import java.math.BigInteger;

/**
 * The canonical spelling of a JSON number: its exact decimal value as {@code [-]<digits>[e<exponent>]}, where the
 * digits have no leading or trailing zeros and the value is digits × 10^exponent; zero (also {@code -0}, {@code 0e7})
 * is {@code 0}. So {@code 1.0}, {@code 1}, {@code 1e0} and {@code 10E-1} are all {@code 1}, {@code 1.50E1} is
 * {@code 15}, {@code 0.1} is {@code 1e-1}, while {@code 0.10000000000000001} keeps all its digits.
 *
 * <p>Computed from the number's text, not through {@code BigDecimal} or {@code double}: no rounding, and no exponent
 * is too large ({@code 1e1000000000} costs nothing; exponents beyond a {@code long} are carried as BigInteger).
 * Pure; thread-safe.
 */
final class CanonicalNumber {

  private CanonicalNumber() {
  }

  /**
   * @param text a number token exactly as JSON allows it (Jackson has validated the syntax)
   * @return the canonical spelling of its value
   */
  static String of(char[] text, int offset, int length) {
    int end = offset + length;
    int i = offset;
    boolean negative = text[i] == '-';
    if (negative) {
      i++;
    }
    int intStart = i;
    while (i < end && isDigit(text[i])) {
      i++;
    }
    int intEnd = i;
    int fracStart = i;
    int fracEnd = i;
    if (i < end && text[i] == '.') {
      fracStart = ++i;
      while (i < end && isDigit(text[i])) {
        i++;
      }
      fracEnd = i;
    }
    // digits D = integer part ++ fraction part; value = D × 10^(exponent - fraction length)
    int first = firstNonZero(text, intStart, intEnd, fracStart, fracEnd);
    if (first < 0) {
      return "0";
    }
    int last = lastNonZero(text, intStart, intEnd, fracStart, fracEnd);
    StringBuilder out = new StringBuilder(length + 8);
    if (negative) {
      out.append('-');
    }
    for (int k = first; k <= last; k++) {
      if (text[k] != '.') {
        out.append(text[k]);
      }
    }
    int trailingZeros = last < intEnd ? (intEnd - last - 1) + (fracEnd - fracStart) : fracEnd - last - 1;
    long shift = (long) trailingZeros - (fracEnd - fracStart);
    appendExponent(out, text, i, end, shift);
    return out.toString();
  }

  private static void appendExponent(StringBuilder out, char[] text, int i, int end, long shift) {
    if (i == end) {
      appendNonZero(out, shift);
      return;
    }
    i++; // 'e' or 'E'
    boolean negative = text[i] == '-';
    if (text[i] == '-' || text[i] == '+') {
      i++;
    }
    while (i < end - 1 && text[i] == '0') {
      i++;
    }
    if (end - i <= 18) {
      long exponent = 0;
      for (; i < end; i++) {
        exponent = exponent * 10 + (text[i] - '0');
      }
      appendNonZero(out, (negative ? -exponent : exponent) + shift);
      return;
    }
    BigInteger exponent = new BigInteger(new String(text, i, end - i));
    BigInteger total = (negative ? exponent.negate() : exponent).add(BigInteger.valueOf(shift));
    if (total.signum() != 0) {
      out.append('e').append(total);
    }
  }

  private static void appendNonZero(StringBuilder out, long exponent) {
    if (exponent != 0) {
      out.append('e').append(exponent);
    }
  }

  private static int firstNonZero(char[] text, int intStart, int intEnd, int fracStart, int fracEnd) {
    for (int k = intStart; k < intEnd; k++) {
      if (text[k] != '0') {
        return k;
      }
    }
    for (int k = fracStart; k < fracEnd; k++) {
      if (text[k] != '0') {
        return k;
      }
    }
    return -1;
  }

  private static int lastNonZero(char[] text, int intStart, int intEnd, int fracStart, int fracEnd) {
    for (int k = fracEnd - 1; k >= fracStart; k--) {
      if (text[k] != '0') {
        return k;
      }
    }
    for (int k = intEnd - 1; k >= intStart; k--) {
      if (text[k] != '0') {
        return k;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
