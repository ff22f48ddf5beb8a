package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.ops.BackupException;
import io.datahose.archiver.ops.Backups;
import io.datahose.archiver.ops.Restore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/**
 * {@code restore FILE --config F [--public-key PEM]}: checks the backup's signature with the archive's public key,
 * then verifies it, refuses while the daemon holds the archive, keeps the
 * current file aside ({@code .before-restore-<time>}) and restores; then voids the seqs the set-aside archive used
 * past the backup, signs a restore record with the archive key and verifies the restored archive. Exit 0 on success,
 * 1 when the restored archive does not verify, 2 when refused or failed.
 */
@Command(name = "restore", description = "Restore a verified backup over the archive (the daemon must be stopped).")
final class RestoreCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "backup zip (archive-<time>-seq<n>.zip)")
  Path file;

  @Mixin
  ConfigOption config;

  @Option(names = "--public-key", description = "the archive's public key (PEM), e.g. evidence.dir/"
      + ArchiveKey.PUBLIC_KEY_FILE + " kept on another host; default: from the archive key (evidence.key or "
      + "<database.path>.key.pem), else evidence.dir's copy")
  Path publicKey;

  @Override
  public Integer call() {
    AppConfig cfg = config.config();
    if (cfg.database().postgresql()) {
      throw new BackupException(Backups.EXTERNAL, null);
    }
    if (!Files.exists(cfg.evidenceKeyPath())) {
      throw new BackupException("the archive key " + cfg.evidenceKeyPath() + " is missing: a restore signs a restore "
          + "record with it (what the backup's restore discarded), so it is needed before anything changes", null);
    }
    ArchiveKey signer = ArchiveKey.load(cfg.evidenceKeyPath());
    PublicKey trusted;
    try {
      trusted = archivePublicKey(cfg);
    } catch (java.io.IOException e) {
      throw new CommandFailure(1, "cannot read the public key: " + e.getMessage(), e);
    }
    // refused or failed (BackupException): "restore FAILED", exit 2; anything else exit 1 (both reported by Main)
    Restore.Result result = Restore.restore(file, cfg.database().path(), Daemon.searchIndexPath(cfg), trusted, signer,
        cfg.evidence().dir(), System.out::println);
    if (!result.verify().ok()) {
      System.err.println("datahose-archiver: restored, but verify FAILED: " + result.verify().verdict());
      return 1;
    }
    return 0;
  }

  /** The key backups are checked with: --public-key, else the archive key, else evidence.dir's published copy. */
  private PublicKey archivePublicKey(AppConfig cfg) throws java.io.IOException {
    if (publicKey != null) {
      return ArchiveKey.readPublicKey(Files.readString(publicKey, StandardCharsets.US_ASCII));
    }
    if (Files.exists(cfg.evidenceKeyPath())) {
      return ArchiveKey.load(cfg.evidenceKeyPath()).publicKey();
    }
    Path published = cfg.evidence().dir().resolve(ArchiveKey.PUBLIC_KEY_FILE);
    if (Files.exists(published)) {
      return ArchiveKey.readPublicKey(Files.readString(published, StandardCharsets.US_ASCII));
    }
    throw new BackupException("no archive key to check the backup's signature with: neither " + cfg.evidenceKeyPath()
        + " nor " + published + " exists; give --public-key FILE (the " + ArchiveKey.PUBLIC_KEY_FILE
        + " from evidence.dir)", null);
  }
}
