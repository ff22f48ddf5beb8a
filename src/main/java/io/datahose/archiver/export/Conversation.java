package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries.StreamInfo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * One exported conversation: a stream on one UTC day, from {@code start} to {@code end} (the day, clipped to the
 * export's time filter), with the members present at its start.
 */
record Conversation(StreamInfo stream, LocalDate day, Instant start, Instant end, List<Long> present,
                    People people) {

  /** @return {@code ROOM - Rates desk - <streamId>} style id (§2.5: type, name, stream id) */
  String roomId() {
    String name = stream.name() == null ? "" : stream.name() + " - ";
    return channelType() + " - " + name + stream.streamId();
  }

  /** @return Mattermost's channel type words for the stream type (ROOM public/private, IM direct, MIM group) */
  String channelType() {
    String type = stream.type() == null ? "" : stream.type();
    return switch (type) {
      case "ROOM" -> Boolean.TRUE.equals(stream.isPublic()) ? "public" : "private";
      case "IM" -> "direct";
      case "MIM" -> "group";
      case "POST" -> "wall";
      default -> "stream";
    };
  }

  /** @return the display name of the conversation: the room name or the stream type and id */
  String title() {
    return stream.name() != null ? stream.name()
        : (stream.type() == null ? "stream" : stream.type().toUpperCase(Locale.ROOT)) + " " + stream.streamId();
  }
}
