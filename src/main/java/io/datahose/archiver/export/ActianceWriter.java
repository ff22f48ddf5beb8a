package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries.Attachment;
import io.datahose.archiver.query.ConversationQueries.MessageVersion;
import io.datahose.archiver.query.ConversationQueries.StreamEvent;
import io.datahose.archiver.query.ConversationQueries.Suppression;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Actiance XML (compliance-archiving.md §2.1): {@code <FileDump>}, a {@code <Conversation>} per stream per UTC day
 * with {@code RoomID}, {@code StartTimeUTC}, a {@code ParticipantEntered} for each member present at the start and
 * each join, a {@code Message} per message version (edits as {@code EditedOriginalMsg}/{@code EditedNewMsg}, a
 * suppression as {@code Deleted} by the suppressing user), {@code FileTransferStarted/Ended} per attachment, a
 * {@code ParticipantLeft} per leave and for everyone still present at the end, {@code EndTimeUTC}. Elements follow
 * the conversation in time order. Times are epoch milliseconds, as Mattermost writes them. Streams through StAX.
 */
final class ActianceWriter implements ConversationSink.WithManifest {

  private final OutputStream out;
  private final XMLStreamWriter xml;

  ActianceWriter(OutputStream out) throws IOException {
    this.out = out;
    try {
      xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("FileDump");
      xml.writeNamespace("xsi", "http://www.w3.org/2001/XMLSchema-instance");
      xml.writeCharacters("\n");
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  @Override
  public void begin(Conversation c) throws IOException {
    try {
      xml.writeStartElement("Conversation");
      xml.writeAttribute("Perspective", Xml.clean(c.title()));
      element("RoomID", c.roomId());
      element("StartTimeUTC", millis(c.start()));
      for (Long user : c.present()) {
        participant("ParticipantEntered", c, user, millis(c.start()));
      }
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  @Override
  public void event(Conversation c, StreamEvent e, List<Change> changes) throws IOException {
    try {
      String at = millis(e.occurredAt().toInstant());
      for (Change change : changes) {
        participant(change.entered() ? "ParticipantEntered" : "ParticipantLeft", c, change.userId(), at);
      }
      for (MessageVersion m : e.messages()) {
        message(c, m, e.occurredAt());
      }
      if (e.suppression() != null) {
        suppression(c, e.suppression(), e.occurredAt());
      }
    } catch (XMLStreamException ex) {
      throw new IOException(ex);
    }
  }

  @Override
  public void end(Conversation c, List<Long> stillPresent) throws IOException {
    try {
      for (Long user : stillPresent) { // closed out: Actiance pairs every entry with a leave
        participant("ParticipantLeft", c, user, millis(c.end()));
      }
      element("EndTimeUTC", millis(c.end()));
      xml.writeEndElement();
      xml.writeCharacters("\n");
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  /** Ends the document; the manifest comment follows the root element ({@link #writeManifest}). */
  @Override
  public void endBody() throws IOException {
    try {
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.flush();
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  /** Appends the manifest as a {@code <!-- datahose-archiver manifest … -->} comment after the root element. */
  @Override
  public void writeManifest(JsonObject manifest) throws IOException {
    // "--" may not occur in a comment: JSON can spell the '-' of any string as \u002d
    String json = manifest.encode().replace("-", "\\u002d");
    out.write(("<!-- datahose-archiver manifest " + json + " -->\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void message(Conversation c, MessageVersion m, OffsetDateTime occurredAt) throws XMLStreamException {
    String at = millis((m.sentAt() != null ? m.sentAt() : occurredAt).toInstant());
    xml.writeStartElement("Message");
    element("MessageId", m.messageId());
    element("LoginName", c.people().login(m.senderId()));
    element("UserType", "user");
    element("DateTimeUTC", at);
    if (m.replacedBy() != null) {
      element("UpdatedType", "EditedOriginalMsg");
      element("EditedNewMsgId", m.replacedBy());
    } else if (m.replacing() != null) {
      element("UpdatedType", "EditedNewMsg");
    }
    element("Content", m.text() == null ? "" : m.text());
    xml.writeEndElement();
    for (Attachment a : m.attachments()) {
      file("FileTransferStarted", c, m, a, at, null);
      file("FileTransferEnded", c, m, a, at, "Completed");
    }
  }

  private void suppression(Conversation c, Suppression s, OffsetDateTime occurredAt) throws XMLStreamException {
    String at = millis((s.suppressedAt() != null ? s.suppressedAt() : occurredAt).toInstant());
    xml.writeStartElement("Message");
    element("MessageId", s.messageId());
    element("LoginName", c.people().login(s.suppressedBy()));
    element("UserType", "user");
    element("DateTimeUTC", at);
    element("UpdatedType", "Deleted");
    element("UpdatedDateTimeUTC", at);
    element("Content", s.text() == null ? "" : s.text());
    xml.writeEndElement();
  }

  private void file(String name, Conversation c, MessageVersion m, Attachment a, String at, String status)
      throws XMLStreamException {
    xml.writeStartElement(name);
    element("LoginName", c.people().login(m.senderId()));
    element("DateTimeUTC", at);
    element("UserFileName", a.name() == null ? "" : a.name());
    element("FileName", m.messageId() + "/" + a.attachmentId());
    if (status != null) {
      element("Status", status);
    }
    xml.writeEndElement();
  }

  private void participant(String name, Conversation c, long user, String at) throws XMLStreamException {
    xml.writeStartElement(name);
    element("LoginName", c.people().login(user));
    element("UserType", "user");
    element("DateTimeUTC", at);
    String email = c.people().get(user).email();
    if (email != null) {
      element("CorporateEmailID", email);
    }
    xml.writeEndElement();
  }

  private void element(String name, String text) throws XMLStreamException {
    xml.writeStartElement(name);
    xml.writeCharacters(Xml.clean(text));
    xml.writeEndElement();
  }

  private static String millis(Instant at) {
    return Long.toString(at.toEpochMilli());
  }
}
