package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.config.AppConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run --config FILE}: the daemon. Blocks until SIGTERM/SIGINT, then stops reading, lets the
 * transaction in flight finish, closes Vert.x and H2. Any start-up failure prints one line on stderr
 * and exits 1 with everything closed.
 */
@Command(name = "run", description = "Run the archiving daemon (the systemd service runs this).")
final class RunCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    AppConfig appConfig = config.config().requireCredentials(); // a ConfigException is reported by Main (exit 1)
    Daemon daemon;
    try {
      daemon = Daemon.start(appConfig);
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: cannot start: " + StartupFailure.describe(e));
      return 1;
    }
    awaitShutdown(daemon);
    return 0;
  }

  /** Blocks the main thread until the JVM is asked to stop, and closes the daemon from the shutdown hook. */
  static void awaitShutdown(AutoCloseable daemon) {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        daemon.close();
      } catch (Exception e) {
        System.err.println("datahose-archiver: error while stopping: " + e);
      } finally {
        closed.countDown();
      }
    }, "shutdown"));
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
