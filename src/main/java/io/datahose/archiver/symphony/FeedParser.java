package io.datahose.archiver.symphony;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Parses the body of a 200 answer of {@code /agent/v5/events/read} ({@code V5EventList}) in one streaming pass: the
 * {@code ackId} (members in any order) and, for every element of {@code events}, its exact bytes in the body (from
 * its first token to the separating comma or the closing bracket, surrounding whitespace excluded), its parsed view
 * and its {@link EventIdentity}. Nothing is re-serialized. An element that is not an object is kept with a
 * rejection; it never fails the batch. {@code "events": null} or no {@code events} is an empty batch.
 *
 * <p>Called by the feed client ({@code capture.FeedClient}) on the event loop with the whole body. Pure (no I/O); thread-safe.
 */
public final class FeedParser {

  /** The longest ackId the feed cursor column holds ({@code feed_cursor.ack_id}, migration V6). */
  public static final int MAX_ACK_ID_CHARS = 1_000_000;

  private FeedParser() {
  }

  /**
   * @param body the response body as received
   * @return the batch; each event's {@code raw} is a copy of its slice of {@code body}
   * @throws IllegalArgumentException when the body is not a well-formed batch: not valid UTF-8 JSON, not an object,
   *                                  no non-empty string {@code ackId}, {@code events} neither an array nor null,
   *                                  either member twice, or content after the object
   */
  public static FeedBatch parse(byte[] body) {
    try (JsonParser parser = JsonInput.FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("the body is not a JSON object");
      }
      String ackId = null;
      List<ReceivedEvent> events = null;
      String name;
      while ((name = parser.nextFieldName()) != null) {
        JsonToken token = parser.nextToken();
        if (name.equals("ackId")) {
          if (ackId != null || token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(ackId != null ? "ackId appears twice" : "ackId is not a string");
          }
          ackId = parser.getText();
        } else if (name.equals("events")) {
          if (events != null) {
            throw new IllegalArgumentException("events appears twice");
          }
          events = token == JsonToken.VALUE_NULL ? List.of() : events(parser, body, token);
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("content after the JSON object");
      }
      if (ackId == null || ackId.isEmpty()) {
        throw new IllegalArgumentException("no ackId");
      }
      if (ackId.length() > MAX_ACK_ID_CHARS) {
        throw new IllegalArgumentException("ackId of " + ackId.length() + " characters (more than the "
            + MAX_ACK_ID_CHARS + " the cursor holds)");
      }
      return new FeedBatch(events == null ? List.of() : events, ackId);
    } catch (IOException e) {
      throw JsonInput.malformed(e);
    }
  }

  private static List<ReceivedEvent> events(JsonParser parser, byte[] body, JsonToken token) throws IOException {
    if (token != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("events is not an array");
    }
    List<ReceivedEvent> events = new ArrayList<>();
    ValueReader reader = new ValueReader(parser);
    JsonToken next = parser.nextToken();
    while (next != JsonToken.END_ARRAY) {
      if (next == null) {
        throw new IllegalArgumentException("events is not closed");
      }
      int start = offset(parser);
      ParsedValue value = reader.read();
      next = parser.nextToken();
      int end = endOfElement(body, start, offset(parser), next != JsonToken.END_ARRAY);
      events.add(value.toEvent(Arrays.copyOfRange(body, start, end)));
    }
    return Collections.unmodifiableList(events);
  }

  /**
   * @param next where the following token (next element or ']') starts
   * @return where the element starting at {@code start} ends: before the whitespace and, when {@code comma}, the
   *         single comma that separate it from {@code next}
   */
  static int endOfElement(byte[] body, int start, int next, boolean comma) {
    int end = skipWhitespaceBack(body, start, next);
    if (comma) {
      if (end == start || body[end - 1] != ',') {
        throw new IllegalArgumentException("cannot delimit the event at byte " + start);
      }
      end = skipWhitespaceBack(body, start, end - 1);
    }
    if (end == start) {
      throw new IllegalArgumentException("cannot delimit the event at byte " + start);
    }
    return end;
  }

  private static int skipWhitespaceBack(byte[] body, int start, int end) {
    while (end > start && isWhitespace(body[end - 1])) {
      end--;
    }
    return end;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** Byte offset of the current token; Jackson reports -1 when it decoded the body as UTF-16 or UTF-32. */
  private static int offset(JsonParser parser) {
    long offset = parser.currentTokenLocation().getByteOffset();
    if (offset < 0) {
      throw new IllegalArgumentException("the body is not UTF-8");
    }
    return (int) offset;
  }
}
