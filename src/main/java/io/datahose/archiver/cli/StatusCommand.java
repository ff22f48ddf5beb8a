package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.FeedCursors;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.officer.LocalAdmin;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code status --config F [--json] [--token-file T]}: one screen for an operator. While the daemon runs it asks the
 * daemon's {@code /health} over the local admin channel when this user can read its token file (the detail — capture
 * per slot, last read, gaps, backup, verify, disk), else at {@code http.host:http.port} (the summary, or the detail
 * with an admin officer's token from {@code --token-file}); when it is stopped it reads the archive file: events,
 * last batch, cursors per slot, open gaps, newest backup, disk left. Exit 0 when UP (or stopped and readable), 1
 * otherwise.
 */
@Command(name = "status", description = "One screen for an operator: capture, gaps, backups, disk, version.")
final class StatusCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Option(names = "--json", description = "print JSON (for scripts)")
  boolean json;

  @Option(names = "--token-file", description = "a file holding an admin officer token: the daemon's full detail")
  Path tokenFile;

  @Override
  public Integer call() throws IOException {
    AppConfig cfg = config.config();
    Path file = DaemonClient.archiveFile(cfg);
    JsonObject out = new JsonObject().put("version", version())
        .put("archive", cfg.database().postgresql() ? cfg.database().url() : file.toString());
    int exit;
    if (cfg.database().postgresql()) {
      // no file lock tells whether a daemon runs: the shared database is read directly, every daemon's cursors
      out.put("daemon", "shared database");
      exit = stopped(cfg, null, out);
    } else if (DaemonClient.held(file)) {
      out.put("daemon", "running");
      exit = running(cfg, out);
    } else {
      out.put("daemon", "stopped");
      exit = stopped(cfg, file, out);
    }
    if (json) {
      System.out.println(out.encodePrettily());
    } else {
      print(out);
    }
    return exit;
  }

  private int running(AppConfig cfg, JsonObject out) throws IOException {
    String officerToken = tokenFile == null ? null : Files.readString(tokenFile).strip();
    try {
      DaemonClient daemon;
      try {
        LocalAdmin.Address local = LocalAdmin.read(LocalAdmin.file(cfg.database()));
        daemon = DaemonClient.at(local.url(), officerToken != null ? officerToken : local.token(), cfg.http());
      } catch (IOException e) {
        // not the service user: the configured address
        String host = cfg.http().host().equals("0.0.0.0") ? "127.0.0.1" : cfg.http().host();
        daemon = DaemonClient.at((cfg.http().tls() ? "https" : "http") + "://" + host + ":" + cfg.http().port(),
            officerToken, cfg.http());
      }
      HttpResponse<String> response = daemon.send("GET", "/health", Map.of(), Duration.ofSeconds(10));
      JsonObject health = new JsonObject(response.body());
      out.put("health", health);
      return "UP".equals(health.getString("status")) ? 0 : 1;
    } catch (CommandFailure | DecodeException e) {
      out.put("problem", e.getMessage());
      return 1;
    }
  }

  private static int stopped(AppConfig cfg, Path file, JsonObject out) {
    if (file != null && !Files.exists(file)) {
      out.put("problem", "no archive at " + file);
      return 1;
    }
    try (ArchiveDatabase db = file == null ? ArchiveDatabase.open(cfg.database())
        : ArchiveDatabase.open(cfg.database().path(), false)) {
      FeedCursors cursors = new FeedCursors(db);
      FeedCursors.Summary summary = cursors.summary();
      out.put("events", summary.events()).put("lastSeq", summary.lastSeq())
          .put("lastBatchAt", summary.lastBatchAt() == null ? null : summary.lastBatchAt().toString());
      JsonArray slots = new JsonArray();
      for (FeedCursors.Cursor c : cursors.all()) {
        slots.add(new JsonObject().put("slot", c.slot()).put("feed", c.feed().describe()).put("events", c.events())
            .put("drained", c.drainedAt() != null));
      }
      out.put("cursors", slots);
      out.put("openGaps", summary.openGaps());
    } catch (RuntimeException e) {
      out.put("problem", "cannot read the archive: " + StartupFailure.describe(e));
      return 1;
    }
    if (file == null) {
      return 0; // size, disk and backups are PostgreSQL's to report
    }
    try {
      out.put("sizeBytes", Files.size(file)).put("freeDiskBytes", Files.getFileStore(file).getUsableSpace());
    } catch (IOException e) {
      out.put("freeDiskBytes", null);
    }
    out.put("newestBackup", newestBackup(cfg.backup().dir()));
    return 0;
  }

  private static String newestBackup(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("archive-.*\\.zip"))
          .max(Comparator.naturalOrder()).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static String version() {
    String v = StatusCommand.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0" : v;
  }

  private static void print(JsonObject out) {
    System.out.println("datahose-archiver " + out.getString("version") + " — daemon " + out.getString("daemon")
        + ", archive " + out.getString("archive"));
    if (out.getString("problem") != null) {
      System.out.println("PROBLEM: " + out.getString("problem"));
    }
    JsonObject health = out.getJsonObject("health");
    if (health != null) {
      System.out.println("status: " + health.getString("status"));
      JsonObject checks = health.getJsonObject("checks", new JsonObject());
      for (String name : checks.fieldNames()) {
        Object check = checks.getValue(name);
        if (check instanceof JsonObject c) {
          JsonObject detail = c.copy();
          detail.remove("status");
          System.out.printf("  %-10s %-9s %s%n", name, c.getString("status"), detail.isEmpty() ? "" : detail.encode());
        } else {
          System.out.printf("  %-10s %s%n", name, check);
        }
      }
      return;
    }
    if (out.containsKey("events")) {
      System.out.printf("events: %,d (last seq %s, last batch %s)%n", out.getLong("events"), out.getValue("lastSeq"),
          out.getString("lastBatchAt"));
      for (Object o : out.getJsonArray("cursors")) {
        JsonObject c = (JsonObject) o;
        System.out.printf("  slot %d: %,d events, %s%s%n", c.getInteger("slot"), c.getLong("events"), c.getString("feed"),
            c.getBoolean("drained") ? " (drained)" : "");
      }
      System.out.println("open capture gaps: " + out.getInteger("openGaps"));
      System.out.printf("archive %,d bytes, disk free %,d bytes%n", out.getLong("sizeBytes", 0L),
          out.getLong("freeDiskBytes", 0L));
      System.out.println("newest backup: " + out.getString("newestBackup", "none"));
    }
  }
}
