package io.datahose.archiver.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for tests that need a real PostgreSQL server (H2's PostgreSQL mode
 * is not one): {@code initdb} into a fresh temp directory, then {@code pg_ctl start} on a free
 * loopback port with the Unix socket in that directory, so nothing is shared with a system
 * cluster and no Docker is needed. The server binaries are the highest
 * {@code /usr/lib/postgresql/<version>/bin} holding {@code initdb} (the Debian package), else
 * {@code initdb} and {@code pg_ctl} on the PATH. initdb and postgres refuse to run as root, so when
 * the JVM is root the directory is given to the OS user {@code postgres} and both run as that user
 * through {@code runuser}. Authentication is {@code trust} for the superuser {@link #user()}.
 */
public final class PgCluster {

  private static final String USER = "datahose";
  private static final long COMMAND_TIMEOUT_SECONDS = 120;
  private static final int START_ATTEMPTS = 3;

  private static final Optional<Path> BIN = findBinaries();
  private static final boolean ROOT = runningAsRoot();

  private static PgCluster shared;

  private final Path dir;
  private final Path data;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();
  private final Thread shutdownHook;
  private boolean stopped;

  private PgCluster(Path dir, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.shutdownHook = new Thread(this::stopQuietly, "pgcluster-stop-" + port);
  }

  /** @return whether PostgreSQL server binaries (and, as root, the user postgres) were found */
  public static boolean available() {
    return BIN.isPresent() && (!ROOT || postgresUserExists());
  }

  /**
   * The JVM's one cluster, started on first use with fsync off (tests kill our daemon, never the
   * server; synchronous_commit stays on) and stopped by a shutdown hook.
   */
  public static synchronized PgCluster shared() {
    if (shared == null) {
      shared = start(false);
    }
    return shared;
  }

  /**
   * Starts a new private cluster in a fresh temp directory; {@code fsync} also sets
   * full_page_writes. A shutdown hook stops it unless {@link #stop()} did.
   */
  public static PgCluster start(boolean fsync) {
    Path bin = BIN.orElseThrow(() -> new IllegalStateException(
        "no PostgreSQL server binaries: no /usr/lib/postgresql/*/bin/initdb and no initdb on the PATH"));
    Path dir;
    try {
      dir = Files.createTempDirectory("pgcluster", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the cluster directory", e);
    }
    try {
      if (ROOT) {
        run(dir, "chown", List.of("chown", "-R", "postgres:", dir.toString()), false);
      }
      List<String> initdb = new ArrayList<>(List.of(bin.resolve("initdb").toString(),
          "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C"));
      if (!fsync) {
        initdb.add("--no-sync");
      }
      run(dir, "initdb", initdb, ROOT);
      IllegalStateException failure = null;
      for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        PgCluster cluster = new PgCluster(dir, freePort());
        try {
          cluster.pgCtlStart(bin, fsync);
          Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
          return cluster;
        } catch (IllegalStateException e) {
          // most likely the port was taken between freePort() and the bind: try another one
          failure = failure == null ? e : failure;
          cluster.pgCtlStopQuietly(bin);
        }
      }
      throw failure;
    } catch (RuntimeException e) {
      deleteRecursively(dir);
      throw e;
    }
  }

  /** Stops the server (immediate mode) and deletes its directory; idempotent. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: this may be the hook itself
    }
    BIN.ifPresent(this::pgCtlStopQuietly);
    deleteRecursively(dir);
  }

  public int port() {
    return port;
  }

  public String user() {
    return USER;
  }

  /** @return the empty password: the cluster trusts every local connection */
  public String password() {
    return "";
  }

  /** @return the JDBC URL of {@code database} on this cluster */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * Creates a new database named after {@code prefix} (lowercased, other characters than
   * [a-z0-9_] replaced by _, with a counter appended, at most 63 characters).
   *
   * @return its JDBC URL
   */
  public String createDatabase(String prefix) {
    String suffix = "_" + databases.incrementAndGet();
    String base = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (base.isEmpty()) {
      base = "db";
    }
    String name = base.substring(0, Math.min(base.length(), 63 - suffix.length())) + suffix;
    execute("CREATE DATABASE \"" + name + "\"");
    return url(name);
  }

  /** Drops {@code name}, closing its open connections first; a missing database is no error. */
  public void dropDatabase(String name) {
    execute("DROP DATABASE IF EXISTS \"" + name.replace("\"", "\"\"") + "\" WITH (FORCE)");
  }

  @Override
  public String toString() {
    return "PgCluster[" + dir + ", port " + port + "]";
  }

  private void execute(String sql) {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    try (Connection connection = DriverManager.getConnection(url("postgres"), properties);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + this, e);
    }
  }

  private void pgCtlStart(Path bin, boolean fsync) {
    String onOff = fsync ? "on" : "off";
    String options = "-p " + port
        + " -c listen_addresses=127.0.0.1"
        + " -c unix_socket_directories='" + dir + "'"
        + " -c fsync=" + onOff
        + " -c synchronous_commit=on"
        + " -c max_connections=200"
        + " -c full_page_writes=" + onOff;
    try {
      run(dir, "pg_ctl start", List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
          "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o", options, "start"), ROOT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + read(dir.resolve("log")), e);
    }
  }

  private void pgCtlStopQuietly(Path bin) {
    if (!Files.exists(data.resolve("postmaster.pid"))) {
      return;
    }
    try {
      run(dir, "pg_ctl stop", List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
          "-m", "immediate", "-w", "-t", "60", "stop"), ROOT);
    } catch (RuntimeException e) {
      System.err.println("PgCluster: " + e.getMessage());
    }
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException e) {
      System.err.println("PgCluster: stopping " + this + " failed: " + e);
    }
  }

  /**
   * Runs {@code command} in {@code dir} (as postgres when {@code asPostgres}) with its output in a
   * file, so that a daemon inheriting the output cannot keep a pipe open; throws with that output
   * when it fails.
   */
  private static void run(Path dir, String what, List<String> command, boolean asPostgres) {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path output = dir.resolve(what.replace(' ', '-') + ".out");
    ProcessBuilder builder = new ProcessBuilder(full)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // PGDATA, PGPORT, PGHOST and the like from the caller's environment must not steer these tools
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    try {
      Process process = builder.start();
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s: "
            + String.join(" ", full) + "\n" + read(output));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + ": "
            + String.join(" ", full) + "\n" + read(output));
      }
    } catch (IOException e) {
      throw new IllegalStateException(what + " could not be started: " + String.join(" ", full), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " was interrupted", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static Optional<Path> findBinaries() {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> highest = versions
            .filter(version -> Files.isExecutable(version.resolve("bin/initdb")))
            .max(Comparator.comparing(PgCluster::versionKey))
            .map(version -> version.resolve("bin"));
        if (highest.isPresent()) {
          return highest;
        }
      } catch (IOException e) {
        // fall through to the PATH
      }
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path bin = Path.of(entry);
      if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
        return Optional.of(bin);
      }
    }
    return Optional.empty();
  }

  /** Orders "9.6" below "15" below "16": numeric parts compared as numbers. */
  private static String versionKey(Path version) {
    StringBuilder key = new StringBuilder();
    for (String part : version.getFileName().toString().split("\\.")) {
      key.append(part.matches("\\d{1,9}") ? String.format("%09d", Integer.parseInt(part)) : part).append('.');
    }
    return key.toString();
  }

  private static boolean runningAsRoot() {
    if ("root".equals(System.getProperty("user.name"))) {
      return true;
    }
    return "0".equals(commandOutput("id", "-u"));
  }

  private static boolean postgresUserExists() {
    return !commandOutput("id", "-u", "postgres").isEmpty();
  }

  /** @return the trimmed standard output of a successful command, else "" */
  private static String commandOutput(String... command) {
    try {
      Process process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.waitFor() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          // a file the server was still writing: leave the rest of the temp dir to the OS
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort: it is a temp dir
    }
  }
}
