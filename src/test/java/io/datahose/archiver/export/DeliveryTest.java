package io.datahose.archiver.export;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.ExportScope;
import io.datahose.archiver.simulator.EventGenerator;
import io.datahose.archiver.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scheduled deliveries to a directory and to a real SMTP server (GreenMail), each stopped mid-delivery (the target
 * failing after some bytes or messages, or the process stopping between the target's confirmation and the commit)
 * and run again by a new {@link DeliveryRun} over the same archive file, as after a restart: every event, every
 * message reaches the target once, none twice.
 */
@DisplayName("Scheduled deliveries")
class DeliveryTest {

  @TempDir
  Path dir;
  ArchiveDatabase db;
  Archive archive;
  EventGenerator generator = new EventGenerator(7);
  int batches;

  @BeforeEach
  void open() {
    db = TestDatabases.open(dir.resolve("archive"));
    archive = new Archive(db);
    store(600);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void store(int n) {
    archive.storeJson("t", 0, generator.next(n), "ack-" + ++batches);
  }

  private DeliveryRun run(AppConfig.Delivery config, DeliveryRun.Hooks hooks) {
    Exporter exporter = new Exporter(new ConversationQueries(db.dsl()), new EventQueries(db.dsl()),
        new CoverageQueries(db), config.emlMaxBytes());
    return new DeliveryRun(config, exporter, new DeliveryStore(db.dsl()), hooks);
  }

  @Test
  @DisplayName("To a directory: a target failing mid-file and a stop after the rename leave every event in exactly one file")
  void directoryExactlyOnce() throws Exception {
    Path out = dir.resolve("out");
    AppConfig.Delivery config = new AppConfig.Delivery("daily", "jsonl", null, null, null, Duration.ofDays(1), out,
        null, Exporter.EML_MAX_BYTES);
    assertThatThrownBy(() -> run(config, failAfterBytes(50_000)).deliverOnce()).isInstanceOf(IOException.class);
    assertThat(files(out)).as("nothing in place after a failed write").isEmpty();
    DeliveryRun.Outcome first = run(config, DeliveryRun.Hooks.NONE).deliverOnce();
    assertThat(first.delivered()).isTrue();
    assertThat(first.delivery().attempts()).isEqualTo(2);

    store(300);
    DeliveryRun.Hooks stopAfterRename = new DeliveryRun.Hooks() {
      @Override
      public void confirmed() {
        throw new IllegalStateException("process stopped after the rename, before the commit");
      }
    };
    assertThatThrownBy(() -> run(config, stopAfterRename).deliverOnce()).isInstanceOf(IllegalStateException.class);
    assertThat(files(out)).hasSize(2);
    DeliveryRun.Outcome second = run(config, DeliveryRun.Hooks.NONE).deliverOnce();
    assertThat(second.delivered()).isTrue();
    assertThat(second.delivery().afterSeq()).isEqualTo(first.delivery().throughSeq());
    assertThat(run(config, DeliveryRun.Hooks.NONE).deliverOnce().delivered()).as("nothing new").isFalse();

    Map<Long, Integer> seen = new HashMap<>();
    for (Path file : files(out)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      JsonObject manifest = new JsonObject(lines.get(lines.size() - 1)).getJsonObject("manifest");
      assertThat(manifest.getLong("count")).isEqualTo(lines.size() - 1);
      lines.subList(0, lines.size() - 1).forEach(l -> seen.merge(new JsonObject(l.substring(0, l.indexOf(",\"event")) + "}")
          .getLong("seq"), 1, Integer::sum));
    }
    long events = db.dsl().fetchCount(io.datahose.archiver.db.Tables.EVENT);
    assertThat(seen).hasSize((int) events);
    assertThat(seen.values()).as("no event delivered twice").containsOnly(1);
    List<DeliveryStore.Delivery> ledger = new DeliveryStore(db.dsl()).list("daily");
    assertThat(ledger).extracting(DeliveryStore.Delivery::status).containsOnly(DeliveryStore.DELIVERED);
    assertThat(ledger).extracting(DeliveryStore.Delivery::sha256)
        .containsExactlyElementsOf(files(out).stream().map(DeliveryTest::sha).toList());
  }

  @Test
  @DisplayName("To SMTP: a server refusing after three messages, then a restart, delivers every eml message once")
  void smtpExactlyOnce() throws Exception {
    GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    try {
      AppConfig.Smtp smtp = new AppConfig.Smtp("127.0.0.1", mail.getSmtp().getPort(), "archiver@bank.example",
          List.of("archive@gr.example"), false, null, null);
      AppConfig.Delivery config = new AppConfig.Delivery("gr", "eml", null, null, null, Duration.ofHours(1), null,
          smtp, 20_000);
      long expected = expectedMessages(config);
      assertThat(expected).as("enough messages for the failure to fall in the middle").isGreaterThan(6);
      assertThatThrownBy(() -> run(config, refuseAfter(3)).deliverOnce()).isInstanceOf(IOException.class)
          .hasMessageContaining("message 4");
      assertThat(mail.getReceivedMessages()).hasSize(3);
      assertThat(new DeliveryStore(db.dsl()).pending("gr").partsSent()).isEqualTo(3);
      DeliveryRun.Outcome done = run(config, DeliveryRun.Hooks.NONE).deliverOnce();
      assertThat(done.delivered()).isTrue();

      MimeMessage[] received = mail.getReceivedMessages();
      assertThat(received).hasSize((int) expected);
      List<String> ids = new ArrayList<>();
      for (MimeMessage m : received) {
        ids.add(m.getMessageID());
        assertThat(m.getHeader("X-GlobalRelay-MsgType", ",")).isEqualTo("Symphony");
      }
      assertThat(ids).as("no message sent twice").doesNotHaveDuplicates();
      assertThat(done.delivery().partsSent()).isEqualTo((int) expected);
    } finally {
      mail.stop();
    }
  }

  private long expectedMessages(AppConfig.Delivery config) throws IOException {
    Exporter exporter = new Exporter(new ConversationQueries(db.dsl()), new EventQueries(db.dsl()),
        new CoverageQueries(db), config.emlMaxBytes());
    long[] n = {0};
    exporter.eml(new ExportScope(null, null, null, null, null, 0, exporter.maxSeq()), (part, message) -> n[0]++);
    return n[0];
  }

  private static DeliveryRun.Hooks failAfterBytes(long limit) {
    return new DeliveryRun.Hooks() {
      @Override
      public OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
          long written;

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if ((written += len) > limit) {
              throw new IOException("disk full (test)");
            }
            out.write(b, off, len);
          }
        };
      }
    };
  }

  private static DeliveryRun.Hooks refuseAfter(int accepted) {
    return new DeliveryRun.Hooks() {
      int sent;

      @Override
      public SmtpTarget.Send send(SmtpTarget.Send send) {
        return (message, to) -> {
          if (++sent > accepted) {
            throw new MessagingException("421 service not available (test)");
          }
          send.send(message, to);
        };
      }
    };
  }

  private static List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  private static String sha(Path file) {
    try {
      return DeliveryRun.sha256(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
