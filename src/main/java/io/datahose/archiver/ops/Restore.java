package io.datahose.archiver.ops;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.capture.CaptureLedgerStore;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.PrivateFiles;
import io.datahose.archiver.evidence.RestoreRecords;
import io.datahose.archiver.evidence.Verification;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * Restores a verified backup over the archive file while no process holds it: checks its signature and manifest
 * ({@link BackupVerifier}), extracts it next to the archive, checks the copy (progress every 10%), moves the current {@code .mv.db} aside as
 * {@code .mv.db.before-restore-<time>} and puts the restored file in place. The next daemon start resumes from the
 * restored feed cursor. Blocking, for the CLI. Fails with {@link BackupException}, leaving the current file in place.
 */
public final class Restore {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private Restore() {
  }

  /**
   * @param key the archive's public key: a backup not signed with it is refused before anything opens it
   * @return the verification of the restored backup; @throws BackupException when refused or failed
   */
  public static BackupVerifier.Verification restore(Path backup, Path databasePath, PublicKey key,
                                                    Consumer<String> progress) {
    return restore(backup, databasePath, null, key, progress);
  }

  /**
   * As {@link #restore(Path, Path, PublicKey, Consumer)}, then records the capture gap the restore opens (from the
   * backup's newest event to now, cause "restored from backup …") and removes {@code searchIndex}, which the daemon
   * rebuilds from the restored archive at its next start (left in place it would resume past the backup's events
   * and never index the ones that arrive next).
   *
   * @param searchIndex the archive's search index directory, or null to leave it
   */
  public static BackupVerifier.Verification restore(Path backup, Path databasePath, Path searchIndex, PublicKey key,
                                                    Consumer<String> progress) {
    return restore(backup, databasePath, searchIndex, key, null, null, progress).backup();
  }

  /**
   * What a restore did: the backup's verification, the signed restore record (null without a signer), and
   * {@code verify} of the restored archive against its key and evidence.dir (null without a signer).
   */
  public record Result(BackupVerifier.Verification backup, RestoreRecords.Restore record, Verification verify) {
  }

  /**
   * The whole restore, as the CLI runs it: {@link #restore(Path, Path, Path, PublicKey, Consumer)}, then, with the
   * archive key {@code signer}: the seqs the set-aside archive used past the backup are made void and the counter
   * moved past them (never handed out again), a signed restore record is stored and filed in {@code evidenceDir}
   * ({@link RestoreRecords}), a tree head is signed, and the restored archive is verified ({@link ArchiveVerifier}).
   */
  public static Result restore(Path backup, Path databasePath, Path searchIndex, PublicKey key, ArchiveKey signer,
                               Path evidenceDir, Consumer<String> progress) {
    refuseWhileHeld(databasePath);
    RestoreRecords.Abandoned abandoned = signer == null ? null : RestoreRecords.probe(databasePath, evidenceDir);
    progress.accept("verifying " + backup + " (signature, manifest, then the archive inside)");
    Path current = Path.of(databasePath + ".mv.db");
    Path dir = current.toAbsolutePath().getParent();
    Path staging = null;
    try {
      PrivateFiles.ensureDirectory(dir);
      staging = Files.createTempDirectory(dir, ".restore-");
      long total = Math.max(1, Files.size(backup) * 3);
      int[] lastTenth = {0};
      BackupVerifier.Extracted extracted = BackupVerifier.extract(backup, key, staging, n -> {
        int tenth = (int) Math.min(9, n * 10 / total);
        if (tenth > lastTenth[0]) {
          lastTenth[0] = tenth;
          progress.accept("restoring: " + Bytes.human(n) + " written");
        }
      });
      BackupVerifier.Verification v = extracted.verification(BackupVerifier.check(backup, extracted.database(), key));
      progress.accept(v.describe());
      // What the restore loses is recorded in the copy, before it is put in place: a crash before the move leaves
      // the current archive as it was, a crash after it leaves an archive that already says so (gap, voids, counter,
      // signed record). Only the files for evidence.dir follow the move (and are re-filed at start if a crash
      // keeps them from it).
      Instant now = Instant.now();
      RestoreRecords.Restore record = null;
      try (ArchiveDatabase copy = ArchiveDatabase.open(extracted.database().toAbsolutePath(), true)) {
        new CaptureLedgerStore(copy).recordRestore(backup.getFileName().toString(), now);
        if (signer != null) {
          record = RestoreRecords.apply(copy.dsl(), signer, evidenceDir, abandoned, backup.getFileName().toString(),
              now);
        }
      } catch (RuntimeException e) {
        throw new BackupException("restore of " + backup + " refused: recording what it loses failed ("
            + e.getMessage() + "); the current archive is unchanged", e);
      }
      progress.accept("capture gap recorded: from the backup's newest event to now (restored from backup "
          + backup.getFileName() + ")");
      if (record != null) {
        progress.accept(record.voidFrom() == 0
            ? "restore record " + record.id() + " signed: no seq past the backup had been used (read from "
                + abandoned.source() + ")"
            : "restore record " + record.id() + " signed: seqs " + record.voidFrom() + ".." + record.voidTo()
                + " of the set-aside archive (read from " + abandoned.source() + ") are void and never handed out "
                + "again; new events start at seq " + (record.voidTo() + 1));
      }
      if (Files.exists(current)) {
        Path aside = asideName(current, Instant.now());
        Files.move(current, aside);
        progress.accept("current archive kept aside as " + aside);
      }
      Path restored = Path.of(extracted.database() + ".mv.db");
      PrivateFiles.restrict(restored);
      if (searchIndex != null && Files.exists(searchIndex)) {
        // before the move: an index left in place would resume past the backup's events and skip the new ones
        BackupVerifier.deleteTree(searchIndex);
        progress.accept("search index " + searchIndex + " removed: the daemon rebuilds it at its next start");
      }
      Files.move(restored, current, StandardCopyOption.ATOMIC_MOVE);
      progress.accept("restored " + current + ": " + v.events() + " events up to seq " + v.lastSeq()
          + "; the daemon resumes from the restored feed cursor");
      if (signer == null) {
        return new Result(v, null, null);
      }
      try (ArchiveDatabase db = ArchiveDatabase.open(databasePath, true)) {
        RestoreRecords.file(db.dsl(), signer, evidenceDir);
        Verification verify = new ArchiveVerifier(db.dsl(), signer.publicKey(), evidenceDir).verify();
        progress.accept("verify: " + verify.verdict());
        return new Result(v, record, verify);
      } catch (RuntimeException e) {
        throw new BackupException("restored " + current + " (the gap, void seqs and restore record are in it), but "
            + "filing the record in evidence.dir or verifying failed (" + e.getMessage() + "): the daemon files it "
            + "at its next start; run verify then", e);
      }
    } catch (IOException e) {
      throw new BackupException("restore of " + backup + " failed: " + e.getMessage(), e);
    } finally {
      BackupVerifier.deleteTree(staging);
    }
  }

  /**
   * @return {@code <file>.before-restore-<UTC second>}, with {@code -2}, {@code -3}… when a file of that name is
   *     there already (a second restore within the same second must not fail after it recorded what it loses)
   */
  static Path asideName(Path current, Instant at) {
    Path aside = Path.of(current + ".before-restore-" + STAMP.format(at));
    for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
      aside = Path.of(current + ".before-restore-" + STAMP.format(at) + "-" + n);
    }
    return aside;
  }

  /** @throws BackupException when a process (the daemon) has the archive open: H2 holds a file lock on it */
  static void refuseWhileHeld(Path databasePath) {
    Path file = Path.of(databasePath + ".mv.db");
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
         FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw held(file, null);
      }
    } catch (OverlappingFileLockException e) {
      throw held(file, e);
    } catch (IOException e) {
      throw new BackupException("cannot check the archive " + file + ": " + e.getMessage(), e);
    }
  }

  private static BackupException held(Path file, Exception cause) {
    return new BackupException("refusing to restore: the archive " + file + " is held by another process "
        + "(is the daemon running? stop it first: systemctl stop datahose-archiver)", cause);
  }
}
