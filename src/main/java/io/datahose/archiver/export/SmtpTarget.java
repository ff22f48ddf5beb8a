package io.datahose.archiver.export;

import io.datahose.archiver.config.AppConfig;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.IntConsumer;

/**
 * Sends a delivery's eml messages to an SMTP server, in their fixed order: the first {@code alreadySent} (accepted
 * by an earlier attempt) are skipped, each other is sent and {@code accepted} is told its number once the server
 * answered 250, so a retry never sends an accepted message again. Envelope sender and recipients come from the
 * configuration; STARTTLS is required when configured. Connects on the first message to send. Not thread-safe.
 */
final class SmtpTarget implements EmlWriter.EmlTarget, AutoCloseable {

  /** One SMTP transaction: returns once the server accepted the message (250), fails otherwise. */
  interface Send {
    void send(MimeMessage message, Address[] recipients) throws MessagingException;
  }

  private final AppConfig.Smtp config;
  private final int alreadySent;
  private final IntConsumer accepted;
  private final DeliveryRun.Hooks hooks;
  private final MessageDigest all = HashingOutput.sha256();
  private final Address[] recipients;
  private Transport transport;
  private int index;

  SmtpTarget(AppConfig.Smtp config, int alreadySent, IntConsumer accepted, DeliveryRun.Hooks hooks)
      throws IOException {
    this.config = config;
    this.alreadySent = alreadySent;
    this.accepted = accepted;
    this.hooks = hooks;
    try {
      recipients = InternetAddress.parse(String.join(",", config.to()), true);
    } catch (MessagingException e) {
      throw new IOException("exports smtp.to is not a list of addresses: " + e.getMessage(), e);
    }
  }

  @Override
  public void accept(EmlWriter.EmlPart part, MimeMessage message) throws IOException {
    index++;
    try {
      message.writeTo(new OutputStream() { // the delivery's hash covers every message, sent now or before
        @Override
        public void write(int b) {
          all.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          all.update(b, off, len);
        }
      });
      if (index <= alreadySent) {
        return;
      }
      hooks.send(this::send).send(message, recipients);
    } catch (MessagingException e) {
      throw new IOException("SMTP " + config.host() + ":" + config.port() + " refused message " + index + " ("
          + part.messageId() + "): " + e.getMessage(), e);
    }
    accepted.accept(index);
  }

  /** @return SHA-256 over every message of the delivery, in order */
  String sha256() {
    return HexFormat.of().formatHex(all.digest());
  }

  private void send(MimeMessage message, Address[] to) throws MessagingException {
    if (transport == null) {
      Properties p = new Properties();
      p.put("mail.smtp.host", config.host());
      p.put("mail.smtp.port", String.valueOf(config.port()));
      p.put("mail.smtp.from", config.from());
      p.put("mail.smtp.starttls.enable", String.valueOf(config.starttls()));
      p.put("mail.smtp.starttls.required", String.valueOf(config.starttls()));
      p.put("mail.smtp.auth", String.valueOf(config.user() != null));
      p.put("mail.smtp.connectiontimeout", "30000");
      p.put("mail.smtp.timeout", "60000");
      p.put("mail.smtp.writetimeout", "60000");
      transport = Session.getInstance(p).getTransport("smtp");
      transport.connect(config.host(), config.port(), config.user(),
          config.password() == null ? null : config.password().value());
    }
    transport.sendMessage(message, to);
  }

  @Override
  public void close() {
    if (transport != null) {
      try {
        transport.close();
      } catch (MessagingException e) {
        // the messages sent were accepted already; a failed QUIT changes nothing
      }
    }
  }
}
