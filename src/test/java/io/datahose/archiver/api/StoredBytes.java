package io.datahose.archiver.api;

import org.jooq.DSLContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.datahose.archiver.db.Tables.EVENT;

/**
 * Raw-log rows whose stored bytes are not what any JSON encoder would write (escapes, spaces, exponents, a lone
 * surrogate, a duplicate key, a non-object element, bytes that are not JSON at all, one above the VARBINARY size),
 * inserted straight into the {@code event} table with type {@value #TYPE} in stream {@value #STREAM}: the reading
 * side must hand back exactly these bytes, whatever the write path does.
 */
final class StoredBytes {

  static final String TYPE = "STOREDBYTES";
  static final String STREAM = "stored-bytes-stream";
  static final long FIRST_SEQ = 20_000_000;
  /** The one sample that is not JSON. */
  static final String NOT_JSON = "{\"id\":\"w\",\"cut\":";

  private static final List<String> SAMPLES = List.of(
      "{\"id\":\"x\", \"type\" :\"MESSAGESENT\",\"v\":1.50E1,\"s\":\"\\u00e9\"}",
      "{ \"id\" : \"y\",\t\"s\":\"\u00e9\u65e5\u672c\ud83c\udf89\" , \"n\":-0.0 }",
      "{\"id\":\"z\",\"s\":\"\\ud83d\"}",
      "{\"id\":\"d\",\"a\":1,\"a\":2}",
      "[1, 2 ,3]",
      "{\"id\":\"n\",\"payload\":{\"event\":{\"x\":1}},\"t\":\",\\\"event\\\":\"}",
      "{\"id\":\"big\",\"n\":1e400,\"m\":0.10000000000000001}",
      "{\"id\":\"nl\",\r\n  \"s\":\"two\\nlines\"\n}",
      NOT_JSON,
      "{\"id\":\"L\",\"s\":\"" + "\u00e9".repeat(600_000) + "\"}");

  private StoredBytes() {
  }

  /** Inserts the samples from {@link #FIRST_SEQ} on; @return their stored bytes by seq, in seq order */
  static Map<Long, byte[]> insert(DSLContext dsl) {
    return insert(dsl, null);
  }

  /** As {@link #insert(DSLContext)}, with every row carrying {@code messageId} (null: none). */
  static Map<Long, byte[]> insert(DSLContext dsl, String messageId) {
    Map<Long, byte[]> stored = new LinkedHashMap<>();
    long seq = FIRST_SEQ;
    for (String sample : SAMPLES) {
      byte[] bytes = sample.getBytes(StandardCharsets.UTF_8);
      boolean large = bytes.length > 1_000_000;
      dsl.insertInto(EVENT)
          .set(EVENT.SEQ, seq).set(EVENT.SHA256, identity(seq))
          .set(EVENT.TYPE, TYPE).set(EVENT.RECEIVED_AT, OffsetDateTime.now()).set(EVENT.READER_SLOT, 0)
          .set(EVENT.STREAM_ID, STREAM).set(EVENT.MESSAGE_ID, messageId)
          .set(large ? EVENT.RAW_BYTES_LARGE : EVENT.RAW_BYTES, bytes).set(EVENT.RAW_SHA256, sha256(bytes))
          .execute();
      stored.put(seq++, bytes);
    }
    return stored;
  }

  /** @return the made-up dedup identity of the sample at {@code seq} */
  static String identity(long seq) {
    return sha256(("identity " + seq).getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
