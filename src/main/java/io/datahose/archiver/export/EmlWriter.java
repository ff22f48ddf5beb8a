package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries.Attachment;
import io.datahose.archiver.query.ConversationQueries.MessageVersion;
import io.datahose.archiver.query.ConversationQueries.StreamEvent;
import io.datahose.archiver.query.ConversationQueries.Suppression;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Global Relay style EML (compliance-archiving.md §2.2): one RFC 5322 message per stream per UTC day, split into
 * further messages when its bodies pass {@code maxBytes}; each a {@code multipart/alternative} of a text/plain and a
 * text/html rendering of the conversation. The bodies are written to two temporary files (0600, in a 0700
 * directory) while the conversation is walked and streamed from there into the message by {@link EmlMessage}, so
 * memory stays flat however long a conversation is. Each finished message goes to an {@link EmlTarget}.
 */
final class EmlWriter implements ConversationSink {

  /** Where finished messages go: ZIP entries or an SMTP server. */
  interface EmlTarget {
    /** Sends or stores one message; returns once the target has it (an SMTP 250, a written entry). */
    void accept(EmlPart part, MimeMessage message) throws IOException;
  }

  /** One message of a conversation: its part number (from 1), seq range and a stable file name. */
  record EmlPart(Conversation conversation, int number, long firstSeq, long lastSeq) {
    String fileName() {
      return Names.safe(conversation.title(), 60) + " - (" + Names.safe(conversation.stream().streamId(), 80) + ") - "
          + conversation.day() + " - " + number + ".eml";
    }

    String messageId() {
      return "<" + conversation.day() + "." + number + "." + firstSeq + "." + lastSeq + "."
          + Names.safe(conversation.stream().streamId(), 200).replace(' ', '_') + "@datahose-archiver>";
    }
  }

  private final EmlTarget target;
  private final long maxBytes;
  private final Path dir;
  private final ExportStats stats;
  private Body body;

  EmlWriter(EmlTarget target, long maxBytes, Path tempDir, ExportStats stats) {
    this.target = target;
    this.maxBytes = maxBytes;
    this.dir = tempDir;
    this.stats = stats;
  }

  /** The conversation being written: its two body files and who took part. */
  private final class Body {
    final Conversation c;
    final int number;
    final Path plainFile;
    final Path htmlFile;
    final Writer plain;
    final Writer html;
    final Set<Long> participants = new TreeSet<>();
    long firstSeq = -1;
    long lastSeq = -1;
    long chars;
    Instant start;
    Instant end;

    Body(Conversation c, int number, Instant start, Set<Long> participants) throws IOException {
      this.c = c;
      this.number = number;
      this.start = start;
      this.participants.addAll(participants);
      plainFile = Files.createTempFile(dir, "plain", ".txt");
      htmlFile = Files.createTempFile(dir, "html", ".html");
      plain = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(plainFile), StandardCharsets.UTF_8));
      html = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(htmlFile), StandardCharsets.UTF_8));
      String title = c.title() + (number > 1 ? " (part " + number + ")" : "");
      plain.write("Symphony Compliance Export: " + title + "\r\nStream: " + c.stream().streamId() + " ("
          + c.roomId() + ")\r\nDay (UTC): " + c.day() + "\r\n\r\n");
      html.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Names.html(title)
          + "</title></head><body>\r\n<h1>Symphony Compliance Export</h1>\r\n<h2>Conversation Summary</h2>\r\n"
          + "<div class=\"summary-list\"><ul><li><span class=\"label\">StreamId</span> "
          + Names.html(c.stream().streamId()) + "</li><li><span class=\"label\">StreamName</span> "
          + Names.html(c.title()) + "</li><li><span class=\"label\">StreamType</span> "
          + Names.html(c.channelType()) + "</li><li><span class=\"label\">Day</span> " + c.day()
          + "</li></ul></div>\r\n<h2>Messages</h2>\r\n<div class=\"message-list\"><ul>\r\n");
    }

    void line(long seq, Instant at, Long user, String what, String text, String cssClass) throws IOException {
      if (firstSeq < 0) {
        firstSeq = seq;
      }
      lastSeq = seq;
      if (user != null) {
        participants.add(user);
      }
      String time = at.truncatedTo(ChronoUnit.SECONDS).toString();
      String who = user == null ? "" : c.people().name(user) + " <" + c.people().login(user) + ">";
      String p = time + "  " + who + (what.isEmpty() ? "" : " [" + what + "]") + ": " + (text == null ? "" : text)
          + "\r\n";
      String h = "<li class=\"" + cssClass + "\"><span class=\"sent_time\">" + time + "</span> <span class=\"username\">"
          + Names.html(who) + "</span>" + (what.isEmpty() ? "" : " <span class=\"update_type\">" + Names.html(what)
          + "</span>") + " <span class=\"message\">" + Names.html(text == null ? "" : text) + "</span></li>\r\n";
      plain.write(p);
      html.write(h);
      chars += p.length() + h.length();
    }
  }

  @Override
  public void begin(Conversation c) throws IOException {
    body = new Body(c, 1, c.start(), new TreeSet<>(c.present()));
  }

  @Override
  public void event(Conversation c, StreamEvent e, List<Change> changes) throws IOException {
    if (body.chars > maxBytes && body.firstSeq >= 0) { // split past the cap, between events
      Set<Long> participants = body.participants;
      int next = body.number + 1;
      Instant at = e.occurredAt().toInstant();
      body.end = at;
      send(body);
      body = new Body(c, next, at, participants);
    }
    Instant at = e.occurredAt().toInstant();
    for (Change change : changes) {
      body.line(e.seq(), at, change.userId(), change.entered() ? "joined" : "left", "", "member");
    }
    for (MessageVersion m : e.messages()) {
      Instant sent = (m.sentAt() != null ? m.sentAt() : e.occurredAt()).toInstant();
      String what = m.replacedBy() != null ? "edited later: " + m.replacedBy()
          : m.replacing() != null ? "edit of " + m.replacing() : "";
      body.line(e.seq(), sent, m.senderId(), what, m.text(), "message");
      for (Attachment a : m.attachments()) {
        body.line(e.seq(), sent, m.senderId(), "file", "Uploaded file " + (a.name() == null ? "" : a.name())
            + " (" + a.attachmentId() + (a.sizeBytes() == null ? "" : ", " + a.sizeBytes() + " bytes") + ")",
            "message");
      }
    }
    Suppression s = e.suppression();
    if (s != null) {
      OffsetDateTime when = s.suppressedAt() != null ? s.suppressedAt() : e.occurredAt();
      body.line(e.seq(), when.toInstant(), s.suppressedBy(), "suppressed " + s.messageId(), s.text(), "message");
    }
    if (changes.isEmpty() && e.messages().isEmpty() && s == null && body.firstSeq < 0) {
      body.firstSeq = e.seq(); // a conversation of only other events still names its seq range
      body.lastSeq = e.seq();
    }
  }

  @Override
  public void end(Conversation c, List<Long> stillPresent) throws IOException {
    body.end = c.end();
    send(body);
    body = null;
  }

  private void send(Body b) throws IOException {
    try {
      StringBuilder table = new StringBuilder("</ul></div>\r\n<h2>Participants</h2>\r\n<table class=\"participants\">"
          + "<tr><th>UserId</th><th>Name</th><th>Email</th></tr>\r\n");
      StringBuilder names = new StringBuilder("\r\nParticipants:\r\n");
      for (Long user : b.participants) {
        table.append("<tr><td>").append(user).append("</td><td>").append(Names.html(b.c.people().name(user)))
            .append("</td><td>").append(Names.html(b.c.people().login(user))).append("</td></tr>\r\n");
        names.append("  ").append(b.c.people().name(user)).append(" <").append(b.c.people().login(user))
            .append(">\r\n");
      }
      b.html.write(table + "</table>\r\n</body></html>\r\n");
      b.plain.write(names.toString());
      b.plain.close();
      b.html.close();
      EmlPart part = new EmlPart(b.c, b.number, b.firstSeq, b.lastSeq);
      MimeMessage message = EmlMessage.build(part, b.participants, b.start, b.end, b.plainFile, b.htmlFile);
      target.accept(part, message);
      stats.parts++;
    } catch (MessagingException e) {
      throw new IOException("cannot build the EML of " + b.c.stream().streamId() + " " + b.c.day() + ": "
          + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(b.plainFile);
      Files.deleteIfExists(b.htmlFile);
    }
  }
}
