package io.datahose.archiver.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors: base64url of the last row's sort key ({@code "seq"} or {@code "seq|id"}), so a client
 * cannot build one by hand by accident and a malformed one is a 400, never a scan from an odd place. Pure.
 */
public final class Cursor {

  private Cursor() {
  }

  /** @return the cursor for a page whose last row has {@code key} */
  public static String of(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1|" + key).getBytes(StandardCharsets.UTF_8));
  }

  /** @return the cursor for a seq-ordered page ending at {@code seq} */
  public static String ofSeq(long seq) {
    return of(Long.toString(seq));
  }

  /**
   * @return the key inside {@code cursor}
   * @throws QueryException 400 when it was not made by {@link #of}
   */
  public static String key(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!text.startsWith("v1|") || text.length() > 600) {
        throw QueryException.badInput("cursor is malformed; pass back the nextCursor of the previous page");
      }
      return text.substring(3);
    } catch (IllegalArgumentException e) {
      throw QueryException.badInput("cursor is malformed; pass back the nextCursor of the previous page");
    }
  }

  /** @return the seq inside a cursor made by {@link #ofSeq} */
  public static long seq(String cursor) {
    String key = key(cursor);
    try {
      return Long.parseLong(key);
    } catch (NumberFormatException e) {
      throw QueryException.badInput("cursor is malformed; pass back the nextCursor of the previous page");
    }
  }

  /** @return {@code [seq, id]} from a cursor made by {@code of(seq + "|" + id)} */
  public static Object[] seqAndId(String cursor) {
    String key = key(cursor);
    int bar = key.indexOf('|');
    try {
      return new Object[] {Long.parseLong(key.substring(0, bar)), key.substring(bar + 1)};
    } catch (RuntimeException e) {
      throw QueryException.badInput("cursor is malformed; pass back the nextCursor of the previous page");
    }
  }
}
