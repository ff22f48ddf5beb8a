package io.datahose.archiver.harness;

import io.datahose.archiver.harness.Harness.Simulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 5: under {@code umask 022} (the usual shell default, outside systemd's {@code UMask=0077}), every
 * file the daemon and the CLI write is 0600 and every directory 0700: archive, search index, archive key, evidence,
 * backups, a CLI backup, a CLI export and an evidence bundle.
 */
@DisplayName("Files the daemon and CLI write are 0600, directories 0700, under umask 022")
class PermissionsIT {

  private Simulator simulator;
  private Process daemon;

  @AfterEach
  void cleanUp() {
    Harness.kill9(daemon);
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  @DisplayName("daemon run with backups, then CLI backup, csv export and bundle: nothing readable by others")
  void everythingPrivate() throws Exception {
    Path dir = Harness.workDir("permissions");
    Path key = Harness.botKey(dir);
    simulator = Simulator.start(dir, key, List.of("--seed", "11", "--preload", "300", "--stop-after", "300",
        "--long-poll", "1s"));
    Path state = dir.resolve("state"); // created by the daemon, not by this test
    Path config = Harness.daemonConfig(dir, simulator.baseUrl, key, 2,
        "backup:\n  dir: \"" + state.resolve("backups") + "\"\n  interval: 1s\n  keep: 2\n");
    Files.writeString(config, Files.readString(config).replace("path: \"" + dir.resolve("archive") + "\"",
        "path: \"" + state.resolve("archive") + "\""));
    Path log = dir.resolve("daemon.log");

    daemon = withUmask022(Harness.jarProcess(log, "256m", List.of("run", "--config", config.toString())).command())
        .redirectErrorStream(true).redirectOutput(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    simulator.awaitCounts(c -> c.getInteger("acknowledged") >= 300, Duration.ofSeconds(60), 100, daemon);
    awaitFile(state.resolve("backups"), ".zip");
    assertThat(Harness.sigterm(daemon, Duration.ofSeconds(60), log)).isIn(0, 143);
    daemon = null;

    cli(log, "backup", "--config", config.toString(), "--to", state.resolve("cli-backups").toString());
    cli(log, "export", "--config", config.toString(), "--format", "csv", "--out", state.resolve("export.csv").toString());
    cli(log, "export", "--config", config.toString(), "--out", state.resolve("bundle").toString());

    TreeMap<String, String> open = new TreeMap<>();
    List<Path> seen = new ArrayList<>();
    try (Stream<Path> all = Files.walk(state)) {
      all.forEach(p -> {
        seen.add(p);
        String perms = permissions(p);
        String wanted = Files.isDirectory(p) ? "rwx------" : "rw-------";
        if (!perms.equals(wanted)) {
          open.put(state.relativize(p).toString(), perms);
        }
      });
    }
    assertThat(seen).as("what was written").anyMatch(p -> p.toString().endsWith("archive.mv.db"))
        .anyMatch(p -> p.toString().endsWith(".zip")).anyMatch(p -> p.toString().endsWith("export.csv"))
        .anyMatch(p -> p.toString().contains("archive.search"));
    assertThat(open).as("files not 0600 / directories not 0700 under " + state).isEmpty();
  }

  private static ProcessBuilder withUmask022(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "umask 022; exec \"$@\"", "sh"));
    wrapped.addAll(command);
    return new ProcessBuilder(wrapped);
  }

  private static void cli(Path log, String... args) throws IOException, InterruptedException {
    Process p = withUmask022(Harness.jarProcess(log, "256m", List.of(args)).command()).redirectErrorStream(true)
        .redirectOutput(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(args)).isTrue();
    assertThat(p.exitValue()).as("exit of %s; see %s", List.of(args), log).isZero();
  }

  private static void awaitFile(Path dir, String suffix) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          if (files.anyMatch(f -> f.getFileName().toString().endsWith(suffix))) {
            return;
          }
        }
      }
      Harness.pause(20);
    }
    throw new AssertionError("no " + suffix + " in " + dir + " within 60 s");
  }

  private static String permissions(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }
}
