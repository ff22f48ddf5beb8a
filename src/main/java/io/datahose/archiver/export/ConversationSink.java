package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries.StreamEvent;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.List;

/**
 * A conversation format's writer, driven by {@link ConversationWalk}: {@link #begin}, the conversation's events in
 * (time, seq) order, {@link #end}; conversations come stream by stream, and within a stream day by day. Called on
 * one thread; an {@link IOException} (the target failed) ends the export.
 */
interface ConversationSink {

  /** A new conversation; {@code c.present()} are the members at its start. */
  void begin(Conversation c) throws IOException;

  /** One of the conversation's events with what the archive projected from it (often nothing for the format). */
  void event(Conversation c, StreamEvent e, List<Change> changes) throws IOException;

  /** The conversation ends; {@code stillPresent} are the members at its end (Actiance closes them out). */
  void end(Conversation c, List<Long> stillPresent) throws IOException;

  /**
   * The sink of a format whose manifest follows its body in the same stream (actiance, csv): the manifest's
   * {@code sha256} covers every byte before it.
   */
  interface WithManifest extends ConversationSink {

    /** Ends the body: every byte the manifest's sha256 covers is then written to the stream below. */
    void endBody() throws IOException;

    /** Writes {@code manifest} after the body, and flushes. */
    void writeManifest(JsonObject manifest) throws IOException;
  }

  /** A membership change that changed who is present: {@code entered} true for a join, false for a leave. */
  record Change(long userId, boolean entered) {
  }
}
