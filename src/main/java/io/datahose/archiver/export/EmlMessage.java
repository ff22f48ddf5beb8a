package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries.Person;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Builds one conversation's RFC 5322 message (§2.2): From the first participant, To every participant (names
 * RFC 2047-encoded by Jakarta Mail), Subject {@code Symphony Compliance Export: <name>}, Date the conversation's end,
 * {@code Auto-Submitted}, {@code Precedence: bulk}, {@code X-GlobalRelay-MsgType: Symphony},
 * {@code X-Symphony-StreamID}, {@code X-Symphony-StreamType}, {@code X-Symphony-StreamName}, {@code X-Symphony-Seq}
 * (the seq range), a stable Message-ID (a resent part carries the same one), and a {@code multipart/alternative} of
 * the two body files, quoted-printable, read from disk only when the message is written.
 */
final class EmlMessage {

  private static final Session SESSION = Session.getInstance(new Properties());

  private EmlMessage() {
  }

  static MimeMessage build(EmlWriter.EmlPart part, Collection<Long> participants, Instant start, Instant end,
                           Path plain, Path html) throws MessagingException {
    Conversation c = part.conversation();
    MimeMessage m = new MimeMessage(SESSION) {
      @Override
      protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", part.messageId());
      }
    };
    List<InternetAddress> to = new ArrayList<>();
    for (Long user : participants) {
      to.add(address(c.people().get(user), c.people().name(user)));
    }
    InternetAddress from = to.isEmpty() ? new InternetAddress("datahose-archiver@symphony.invalid") : to.get(0);
    m.setFrom(from);
    if (!to.isEmpty()) {
      m.setRecipients(jakarta.mail.Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
    }
    m.setSubject(oneLine("Symphony Compliance Export: " + c.title()
        + (part.number() > 1 ? " (part " + part.number() + ")" : "")), "UTF-8");
    m.setSentDate(Date.from(end));
    m.setHeader("Auto-Submitted", "auto-generated");
    m.setHeader("Precedence", "bulk");
    m.setHeader("X-GlobalRelay-MsgType", "Symphony");
    m.setHeader("X-Symphony-StreamID", encode(c.stream().streamId()));
    m.setHeader("X-Symphony-StreamType", encode(c.stream().type() == null ? "" : c.stream().type()));
    m.setHeader("X-Symphony-StreamName", encode(c.title()));
    m.setHeader("X-Symphony-Day", c.day().toString());
    m.setHeader("X-Symphony-Started", start.toString());
    m.setHeader("X-Symphony-Ended", end.toString());
    m.setHeader("X-Symphony-Seq", part.firstSeq() + "-" + part.lastSeq());
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(body(plain, "text/plain; charset=UTF-8"));
    alternative.addBodyPart(body(html, "text/html; charset=UTF-8"));
    m.setContent(alternative);
    m.saveChanges();
    return m;
  }

  private static MimeBodyPart body(Path file, String contentType) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new FileSource(file, contentType)));
    part.setHeader("Content-Type", contentType);
    part.setHeader("Content-Transfer-Encoding", "quoted-printable");
    return part;
  }

  private static InternetAddress address(Person p, String name) throws MessagingException {
    String email = p.email() != null && p.email().contains("@") ? p.email() : "user-" + p.userId() + "@symphony.invalid";
    try {
      return new InternetAddress(oneLine(email), oneLine(name), "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new MessagingException(e.getMessage(), e);
    }
  }

  /** A header value is one line: a CR or LF from the archive would end the header (or inject another). */
  private static String oneLine(String text) {
    return text.replace('\r', ' ').replace('\n', ' ');
  }

  /** @return {@code text} on one line, RFC 2047-encoded when it is not plain ASCII, folded */
  private static String encode(String text) {
    try {
      return MimeUtility.fold(24, MimeUtility.encodeText(oneLine(text), "UTF-8", "B"));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A body file as a data source: read when the message is written, never held in memory. */
  private record FileSource(Path file, String contentType) implements DataSource {
    @Override
    public InputStream getInputStream() throws IOException {
      return Files.newInputStream(file);
    }

    @Override
    public OutputStream getOutputStream() {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public String getContentType() {
      return contentType;
    }

    @Override
    public String getName() {
      return file.getFileName().toString();
    }
  }
}
