package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.export.DeliveryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code export deliveries --config FILE [--name N]}: the scheduled deliveries, oldest first: name, format, seq
 * range, status (DELIVERED, or PENDING while being retried), events, target, SHA-256 of what was delivered, time and
 * attempts. Daemon stopped. Exit 0, or 1 on error (reported by Main).
 */
@Command(name = "deliveries", description = "List the scheduled export deliveries sent (daemon stopped).")
final class ExportDeliveriesCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Option(names = "--name", description = "only the deliveries of this export name")
  String name;

  @Override
  public Integer call() {
    try (ArchiveDatabase db = ArchiveDatabase.open(config.config().database())) {
      List<DeliveryStore.Delivery> list = new DeliveryStore(db.dsl()).list(name);
      System.out.printf("%-20s %-8s %-23s %-9s %10s %-25s %s%n", "NAME", "FORMAT", "SEQ", "STATUS", "EVENTS",
          "DELIVERED", "TARGET / SHA-256 / ATTEMPTS");
      for (DeliveryStore.Delivery d : list) {
        System.out.printf("%-20s %-8s %-23s %-9s %10s %-25s %s sha256=%s attempts=%d%s%n", d.name(), d.format(),
            (d.afterSeq() + 1) + ".." + d.throughSeq(), d.status(), d.events() == null ? "-" : d.events(),
            d.deliveredAt() == null ? "-" : d.deliveredAt().toInstant().toString(), d.target(),
            d.sha256() == null ? "-" : d.sha256(), d.attempts(),
            d.lastError() == null ? "" : " lastError=" + d.lastError());
      }
      System.out.printf("%d deliveries%n", list.size());
      return 0;
    }
  }
}
