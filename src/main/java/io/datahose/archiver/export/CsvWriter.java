package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries.Attachment;
import io.datahose.archiver.query.ConversationQueries.MessageVersion;
import io.datahose.archiver.query.ConversationQueries.Person;
import io.datahose.archiver.query.ConversationQueries.StreamEvent;
import io.datahose.archiver.query.ConversationQueries.Suppression;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * CSV (compliance-archiving.md §2.3, mapped to Symphony by §2.5): RFC 4180 (quoted when needed, CRLF), UTF-8 with a
 * byte order mark, the header row of {@link #HEADER}, then rows in conversation order: {@code previously-joined} for
 * each member present at a conversation's start, {@code enter}/{@code leave} per membership change, {@code message}
 * per message version (edits carry {@code EditedOriginalMsg}/{@code EditedNewMsg} and the links, a suppression is a
 * {@code Deleted} row by the suppressing user), {@code attachment} per attachment. The last row has Post Type
 * {@code manifest} and the manifest JSON as its Post Message. Times are epoch milliseconds. Streams.
 */
final class CsvWriter implements ConversationSink.WithManifest {

  static final List<String> HEADER = List.of("Post Creation Time", "Post Update Time", "Post Update Type",
      "Stream Id", "Stream Name", "Stream Type", "Channel Type", "User Id", "User Email", "Username",
      "User Display Name", "Post Id", "Edited By Post Id", "Replaces Post Id", "Replied to Post Id", "Post Message",
      "Post Type", "User Type", "External");

  private final Writer writer;
  private final CSVPrinter csv;

  CsvWriter(OutputStream out) throws IOException {
    writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    writer.write('\uFEFF');
    csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get());
  }

  @Override
  public void begin(Conversation c) throws IOException {
    for (Long user : c.present()) {
      member(c, user, c.start(), "previously-joined", "was already in the stream");
    }
  }

  @Override
  public void event(Conversation c, StreamEvent e, List<Change> changes) throws IOException {
    for (Change change : changes) {
      member(c, change.userId(), e.occurredAt().toInstant(), change.entered() ? "enter" : "leave",
          change.entered() ? "joined the stream" : "left the stream");
    }
    for (MessageVersion m : e.messages()) {
      message(c, m, e.occurredAt());
    }
    if (e.suppression() != null) {
      suppression(c, e.suppression(), e.occurredAt());
    }
  }

  @Override
  public void end(Conversation c, List<Long> stillPresent) {
    // closed-out leaves are an Actiance need; CSV (like Mattermost's) does not write them
  }

  /** Flushes every row written so far to the stream below (before the manifest's hash is taken). */
  @Override
  public void endBody() throws IOException {
    csv.flush();
  }

  /** Writes the manifest row and flushes. */
  @Override
  public void writeManifest(JsonObject manifest) throws IOException {
    csv.printRecord("", "", "", "", "", "", "", "", "", "", "", "", "", "", "", manifest.encode(), "manifest", "", "");
    csv.flush();
  }

  private void message(Conversation c, MessageVersion m, OffsetDateTime occurredAt) throws IOException {
    Person p = c.people().get(m.senderId());
    String updateType = m.replacedBy() != null ? "EditedOriginalMsg" : m.replacing() != null ? "EditedNewMsg" : "";
    String at = millis((m.sentAt() != null ? m.sentAt() : occurredAt).toInstant());
    row(at, "", updateType, c, p, m.messageId(), m.replacedBy(), m.replacing(), m.parentMessageId(), m.text(),
        "message", Boolean.TRUE.equals(m.externalRecipients()) || Boolean.TRUE.equals(c.stream().external()));
    for (Attachment a : m.attachments()) {
      row(at, "", "", c, p, m.messageId(), null, null, null,
          (a.name() == null ? "" : a.name()) + " (" + m.messageId() + "/" + a.attachmentId() + ")", "attachment",
          Boolean.TRUE.equals(c.stream().external()));
    }
  }

  private void suppression(Conversation c, Suppression s, OffsetDateTime occurredAt) throws IOException {
    String at = millis((s.suppressedAt() != null ? s.suppressedAt() : occurredAt).toInstant());
    row(at, at, "Deleted", c, c.people().get(s.suppressedBy()), s.messageId(), null, null, null, s.text(), "message",
        Boolean.TRUE.equals(c.stream().external()));
  }

  private void member(Conversation c, long user, Instant at, String type, String what) throws IOException {
    Person p = c.people().get(user);
    row(millis(at), "", "", c, p, "", null, null, null,
        "User " + c.people().name(user) + " (" + c.people().login(user) + ") " + what, type,
        Boolean.TRUE.equals(c.stream().external()));
  }

  private void row(String created, String updated, String updateType, Conversation c, Person p, String postId,
                   String editedBy, String replaces, String repliedTo, String text, String type, boolean external)
      throws IOException {
    csv.printRecord(created, updated, updateType, c.stream().streamId(), nz(c.stream().name()), nz(c.stream().type()),
        c.channelType(), p == null ? "" : String.valueOf(p.userId()), p == null ? "" : nz(p.email()),
        p == null ? "" : nz(p.username()), p == null ? "" : nz(p.displayName()), postId, nz(editedBy), nz(replaces),
        nz(repliedTo), nz(text), type, "user", String.valueOf(external));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String millis(Instant at) {
    return Long.toString(at.toEpochMilli());
  }
}
