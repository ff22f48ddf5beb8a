package io.datahose.archiver.cli;

import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
import io.datahose.archiver.symphony.Pem;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code simulate}: the Symphony simulator alone (pod, key manager and Agent on one loopback port), for
 * manual tests, the crash harness and benchmarks. Runs until stopped.
 */
@Command(name = "simulate", description = "Serve a simulated Symphony pod + key manager + Agent on loopback.")
final class SimulateCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "0", description = "port (0 = any free port; default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--public-key", required = true, description = "the bot's RSA public key (PEM) or private key (PEM)")
  Path publicKey;

  @Option(names = "--bot-username", defaultValue = "archiver-bot", description = "service account name (default ${DEFAULT-VALUE})")
  String botUsername;

  @Option(names = "--rate", defaultValue = "0", description = "events per second to generate (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--preload", defaultValue = "0", description = "events queued before the first read")
  int preload;

  @Option(names = "--fault-rate", defaultValue = "0", description = "probability of a fault per read, 0..1")
  double faultRate;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the event generator and the faults")
  long seed;

  @Option(names = "--visibility-timeout", defaultValue = "30s", description = "redelivery delay of unacknowledged batches")
  String visibilityTimeout;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    SymphonySimulator simulator;
    try {
      simulator = SymphonySimulator.start(vertx, SimulatorOptions.builder()
          .port(port)
          .botUsername(botUsername)
          .rsaPublicKey(Pem.readPublicKey(publicKey))
          .visibilityTimeout(Duration.parse("PT" + visibilityTimeout.toUpperCase()))
          .build()).await();
    } catch (RuntimeException e) {
      vertx.close().await();
      System.err.println("datahose-archiver: simulator cannot start: " + StartupFailure.describe(e));
      return 1;
    }
    if (preload > 0) {
      simulator.publish(simulator.generator().next(preload));
    }
    if (faultRate > 0) {
      simulator.faults().random(seed, faultRate);
    }
    if (rate > 0) {
      simulator.startSteady(vertx, rate);
    }
    System.out.println("simulator listening on " + simulator.baseUrl());
    RunCommand.awaitShutdown(() -> vertx.close().await());
    return 0;
  }
}
