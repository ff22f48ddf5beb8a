package io.datahose.archiver.symphony;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The canonical form of one JSON value, written token by token by {@link ValueReader}: ASCII only, no whitespace,
 * object members sorted by {@link KeyOrder}, numbers as {@link CanonicalNumber}, strings by UTF-16
 * code unit with every unit outside 0x20..0x7E as {@code \}{@code uXXXX} (lower-case hex; lone surrogates are kept,
 * so {@code "\}{@code ud83d"} is not {@code "?"}) and {@code \"}, {@code \\} for the two specials. Every choice has
 * exactly one spelling, so two values have the same form if and only if they are the same JSON value (for objects
 * without duplicate keys, which {@link ValueReader} excludes).
 *
 * <p>A reusable growable buffer; not thread-safe.
 */
final class CanonicalForm {

  /** One object member as written: its key and its {@code "key":value} bytes in the buffer. */
  record Member(String key, int start, int end) {
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes = new byte[8192];
  private int length;
  private byte[] scratch = new byte[1024];

  void clear() {
    length = 0;
  }

  int length() {
    return length;
  }

  /** @return the buffer; bytes {@code [0, length())} are the form */
  byte[] bytes() {
    return bytes;
  }

  String text() {
    return new String(bytes, 0, length, StandardCharsets.US_ASCII);
  }

  void put(char ascii) {
    ensure(1);
    bytes[length++] = (byte) ascii;
  }

  void put(String ascii) {
    ensure(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      bytes[length++] = (byte) ascii.charAt(i);
    }
  }

  void put(char[] ascii, int offset, int count) {
    ensure(count);
    for (int i = 0; i < count; i++) {
      bytes[length++] = (byte) ascii[offset + i];
    }
  }

  void string(String value) {
    string(value.toCharArray(), 0, value.length());
  }

  /** Writes the string whose UTF-16 units are {@code text[offset, offset + count)}. */
  void string(char[] text, int offset, int count) {
    ensure(count * 6 + 2);
    byte[] out = bytes;
    int at = length;
    out[at++] = '"';
    for (int i = offset, end = offset + count; i < end; i++) {
      char c = text[i];
      if (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\') {
        out[at++] = (byte) c;
      } else if (c == '"' || c == '\\') {
        out[at++] = '\\';
        out[at++] = (byte) c;
      } else {
        out[at++] = '\\';
        out[at++] = 'u';
        out[at++] = HEX[c >>> 12];
        out[at++] = HEX[(c >>> 8) & 0xF];
        out[at++] = HEX[(c >>> 4) & 0xF];
        out[at++] = HEX[c & 0xF];
      }
    }
    out[at++] = '"';
    length = at;
  }

  /**
   * Puts the members of the object whose members occupy {@code [from, length())}, written in wire order, in key
   * order; {@code members} is sorted in place.
   *
   * @return the first duplicate key found, or null
   */
  String sortMembers(int from, List<Member> members) {
    String duplicate = null;
    boolean sorted = true;
    for (int i = 1; i < members.size() && sorted; i++) {
      int order = KeyOrder.compare(members.get(i - 1).key(), members.get(i).key());
      duplicate = order == 0 ? members.get(i).key() : null;
      sorted = order < 0;
    }
    if (sorted) {
      return null;
    }
    if (duplicate != null) {
      return duplicate;
    }
    members.sort((a, b) -> KeyOrder.compare(a.key(), b.key()));
    for (int i = 1; i < members.size(); i++) {
      if (members.get(i - 1).key().equals(members.get(i).key())) {
        return members.get(i).key();
      }
    }
    reorder(from, members);
    return null;
  }

  /**
   * Rewrites the members of the object whose members occupy {@code [from, length())} (comma separated, as written)
   * in the order of {@code sorted}.
   */
  private void reorder(int from, List<Member> sorted) {
    int size = length - from;
    if (scratch.length < size) {
      scratch = new byte[Math.max(size, scratch.length * 2)];
    }
    System.arraycopy(bytes, from, scratch, 0, size);
    length = from;
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0) {
        bytes[length++] = ',';
      }
      Member member = sorted.get(i);
      int memberLength = member.end() - member.start();
      System.arraycopy(scratch, member.start() - from, bytes, length, memberLength);
      length += memberLength;
    }
  }

  /** @return {@code value} quoted as in the canonical form: safe to put in a log line or a note */
  static String quote(String value) {
    CanonicalForm form = new CanonicalForm();
    form.string(value);
    return form.text();
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
    }
  }
}
