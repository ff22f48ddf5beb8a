package io.datahose.archiver.export;

import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.query.ExportScope;
import io.vertx.core.json.JsonObject;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One attempt of a scheduled delivery, exactly once: the range (last delivered seq, newest seq] is pinned in a
 * PENDING {@code export_delivery} row before anything is sent; the position moves (row DELIVERED) only after the
 * target confirmed. A directory target writes {@code .<file>.partial} (0600), forces it to disk, renames it into
 * place as {@code <name>-<firstSeq>-<lastSeq>.<ext>} and forces the directory; a restart that finds the file already
 * in place (the process stopped between the rename and the commit) commits it without writing it again. An SMTP
 * target sends the eml messages in their fixed order and records each 250 (parts_sent), so a retry resends none
 * that was accepted. Blocking; one attempt at a time per delivery name.
 */
public final class DeliveryRun {

  /** What an attempt did: nothing new to send, or the delivery committed. */
  public record Outcome(DeliveryStore.Delivery delivery, boolean delivered) {
  }

  /** Test seams: wrap the file stream (a target that fails after N bytes), act after the target confirmed. */
  interface Hooks {
    Hooks NONE = new Hooks() { };

    default OutputStream wrap(OutputStream out) {
      return out;
    }

    default void confirmed() {
    }

    default SmtpTarget.Send send(SmtpTarget.Send send) {
      return send;
    }
  }

  private final AppConfig.Delivery config;
  private final Exporter exporter;
  private final DeliveryStore store;
  private final Hooks hooks;

  public DeliveryRun(AppConfig.Delivery config, Exporter exporter, DeliveryStore store) {
    this(config, exporter, store, Hooks.NONE);
  }

  DeliveryRun(AppConfig.Delivery config, Exporter exporter, DeliveryStore store, Hooks hooks) {
    this.config = config;
    this.exporter = exporter;
    this.store = store;
    this.hooks = hooks;
  }

  /** @return the delivery committed by this attempt, or {@code delivered=false} when nothing new was archived */
  public Outcome deliverOnce() throws IOException {
    DeliveryStore.Delivery d = store.pending(config.name());
    if (d == null) {
      long after = store.deliveredThrough(config.name());
      long through = exporter.maxSeq();
      if (through <= after) {
        return new Outcome(null, false);
      }
      d = store.begin(config.name(), config.format(), after, through, target(after, through));
    }
    try {
      if (config.dir() != null) {
        toDirectory(d);
      } else {
        toSmtp(d);
      }
    } catch (IOException | RuntimeException e) {
      store.failed(d.id(), e.getMessage());
      throw e;
    }
    long id = d.id();
    return new Outcome(store.list(config.name()).stream().filter(x -> x.id() == id).findFirst().orElseThrow(), true);
  }

  private ExportScope scope(DeliveryStore.Delivery d) {
    return new ExportScope(config.type(), config.stream(), config.user(), null, null, d.afterSeq(), d.throughSeq());
  }

  private String target(long after, long through) {
    if (config.dir() != null) {
      return config.dir().resolve(fileName(after, through)).toString();
    }
    return "smtp://" + config.smtp().host() + ":" + config.smtp().port() + " to " + String.join(",", config.smtp().to());
  }

  private String fileName(long after, long through) {
    return config.name() + "-" + (after + 1) + "-" + through + "." + ExportFormat.parse(config.format()).extension();
  }

  private void toDirectory(DeliveryStore.Delivery d) throws IOException {
    Path dir = config.dir();
    createPrivateDirectory(dir);
    Path file = Path.of(d.target());
    if (Files.exists(file)) { // renamed into place by an attempt that stopped before its commit
      store.delivered(d.id(), exporter.count(scope(d)), sha256(file), null);
      return;
    }
    Path partial = dir.resolve("." + file.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    JsonObject manifest;
    try (FileChannel channel = FileChannel.open(partial, java.util.Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      OutputStream out = hooks.wrap(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20));
      manifest = exporter.write(ExportFormat.parse(config.format()), scope(d), out);
      out.flush();
      channel.force(true);
    }
    try {
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " exists and was not written by this delivery", e);
    }
    forceDirectory(dir);
    hooks.confirmed();
    store.delivered(d.id(), manifest.getLong("count"), sha256(file), manifest.getJsonArray("captureGaps").encode());
  }

  private void toSmtp(DeliveryStore.Delivery d) throws IOException {
    SmtpTarget smtp = new SmtpTarget(config.smtp(), d.partsSent(), sent -> store.partsSent(d.id(), sent), hooks);
    JsonObject manifest;
    try (smtp) {
      manifest = exporter.eml(scope(d), smtp);
    }
    hooks.confirmed();
    store.delivered(d.id(), manifest.getLong("count"), smtp.sha256(), manifest.getJsonArray("captureGaps").encode());
  }

  static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = HashingOutput.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
