package io.datahose.archiver.ops;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Online backups of the live archive: H2 {@code BACKUP TO} (a consistent copy while capture keeps committing),
 * written into a fresh 0700 work directory ({@code .backup-*}, removed after), checked and signed
 * ({@link BackupVerifier}), forced to disk and only then moved to {@code archive-<UTC time>-seq<last seq>.zip};
 * a backup directory writable by group or others is refused; older verified backups beyond {@code keep} are deleted, except the
 * newest one older than {@code keepDays} ({@link #toDelete}). A failed backup or verification throws
 * {@link BackupException} and leaves no {@code .zip}. Blocking: call on a worker thread or a CLI thread; one backup
 * at a time (a second one asked for meanwhile fails at once with {@link InProgressException}). {@link #lastBackupAt()} is safe from any thread.
 */
public final class Backups {

  private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern NAME = Pattern.compile("archive-\\d{8}T\\d{6}Z-seq\\d+\\.zip");

  private final ArchiveDatabase db;
  private final ArchiveKey key;
  private final Path dir;
  private final int keep;
  private final Duration keepDays;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile Instant lastBackupAt;
  private volatile boolean closed;

  /** Thrown when a backup is asked for while another one runs. */
  public static final class InProgressException extends BackupException {
    InProgressException() {
      super("a backup is already running; one backup at a time", null);
    }
  }

  /** Thrown when a backup is asked for once the daemon began to stop: try again after the restart. */
  public static final class StoppingException extends BackupException {
    StoppingException() {
      super("the daemon is stopping: no new backup", null);
    }
  }

  /** @param key the archive's key: every backup carries a manifest signed with it ({@link BackupVerifier}) */
  public Backups(ArchiveDatabase db, ArchiveKey key, Path dir, int keep, Duration keepDays) {
    this.db = db;
    this.key = key;
    this.dir = dir;
    this.keep = keep;
    this.keepDays = keepDays;
    this.lastBackupAt = newest(dir).map(Backups::modified).orElse(null);
    removeLeftovers(dir);
  }

  /** Removes what a backup killed midway left: its private work directory, or a .partial of older versions. */
  private static void removeLeftovers(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().startsWith(".backup-")
          || p.getFileName().toString().endsWith(".zip.partial")).forEach(p -> {
            LOG.info("removing {}, left by a backup that did not finish", p);
            BackupVerifier.deleteTree(p);
          });
    } catch (IOException e) {
      LOG.warn("cannot list {} for unfinished backups: {}", dir, e.getMessage());
    }
  }

  /** What a backup of a PostgreSQL archive is instead of this class. */
  public static final String EXTERNAL = "the archive is a PostgreSQL database: back it up with PostgreSQL's tools "
      + "(pg_basebackup, WAL archiving for point-in-time recovery) and run `datahose-archiver verify` after restoring "
      + "one (README, Scaling out)";

  /** @return true when the archive is PostgreSQL: its backups are PostgreSQL's, this class takes none */
  public boolean external() {
    return !db.embedded();
  }

  /** Backs up to the configured directory (scheduled, and POST /api/v1/admin/backups). */
  public BackupVerifier.Verification backupNow() {
    return backupNow(null, line -> { });
  }

  /**
   * As {@link #backupNow()} into {@code target} (null: the configured directory), logging each progress line and
   * handing it to {@code progress} too (POST /api/v1/admin/backups answers with them).
   */
  public BackupVerifier.Verification backupNow(Path target, Consumer<String> progress) {
    return backupTo(target == null ? dir : target, line -> {
      LOG.info("{}", line);
      progress.accept(line);
    });
  }

  /**
   * Backs up to {@code target} reporting progress lines to {@code progress}, one backup at a time.
   *
   * @throws InProgressException at once when another backup is running
   * @throws BackupException on failure
   */
  public BackupVerifier.Verification backupTo(Path target, Consumer<String> progress) {
    if (external()) {
      throw new BackupException(EXTERNAL, null);
    }
    if (closed) {
      throw new StoppingException();
    }
    if (!running.compareAndSet(false, true)) {
      throw new InProgressException();
    }
    try {
      return backupOnce(target, progress);
    } finally {
      synchronized (running) {
        running.set(false);
        running.notifyAll();
      }
    }
  }

  /**
   * Refuses new backups from now on and waits for the one running, at most {@code max}: a stop calls it first, so a
   * backup asked for over the API is not interrupted when the query pool closes.
   *
   * @return true when none is running
   */
  public boolean closeAndAwait(Duration max) throws InterruptedException {
    closed = true;
    return awaitIdle(max);
  }

  /**
   * Waits until no backup is running, at most {@code max} (a stop waits so the archive does not close under one).
   *
   * @return true when none is running
   */
  public boolean awaitIdle(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (running) {
      while (running.get()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        running.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  private BackupVerifier.Verification backupOnce(Path target, Consumer<String> progress) {
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Path work = null;
    try {
      PrivateFiles.ensureDirectory(target);
      refuseSharedDirectory(target);
      // H2 writes, and the check opens, a file in a fresh 0700 directory only this process can enter: nobody can
      // swap the copy between BACKUP TO and the signature (the backup directory may be a share).
      work = Files.createTempDirectory(target, ".backup-");
      Path partial = work.resolve("archive-" + STAMP.format(at) + ".zip");
      progress.accept("writing online backup " + partial + " (capture keeps running)");
      db.backupTo(partial);
      progress.accept("written " + Bytes.human(Files.size(partial)) + ", verifying");
      BackupVerifier.Verification v = BackupVerifier.checkAndSign(partial, key);
      PrivateFiles.restrict(partial); // H2 and the zip file system write with the umask's permissions
      force(partial);
      Path done = target.resolve("archive-" + STAMP.format(at) + "-seq" + v.lastSeq() + ".zip");
      Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
      force(target); // the new name is durable before an older backup is pruned
      BackupVerifier.Verification result = new BackupVerifier.Verification(done, v.schemaVersion(), v.events(),
          v.lastSeq(), v.cursors(), v.voided());
      lastBackupAt = at;
      progress.accept(result.describe());
      prune(target);
      return result;
    } catch (IOException | org.jooq.exception.DataAccessException e) {
      throw new BackupException("backup to " + target + " failed: " + e.getMessage(), e);
    } finally {
      BackupVerifier.deleteTree(work);
    }
  }

  /** @throws BackupException when others could write into {@code dir}: they could replace a backup being made */
  private static void refuseSharedDirectory(Path dir) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new BackupException("backup directory " + dir + " is writable by others ("
          + PosixFilePermissions.toString(perms) + "): make it 0700 for the service user (chmod 700)", null);
    }
  }

  private static void force(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** @return when the newest backup was written (this run or found in the directory at start), or null */
  public Instant lastBackupAt() {
    return lastBackupAt;
  }

  private void prune(Path target) throws IOException {
    for (Path old : toDelete(list(target), keep, Instant.now(), keepDays)) {
      Files.deleteIfExists(old);
      LOG.info("deleted old backup {} (backup.keep = {}, backup.keepDays = {})", old, keep, keepDays.toDays());
    }
  }

  /**
   * The pruning rule, pure: everything but the newest {@code keep} backups, except the newest backup older than
   * {@code keepDays} (a burst of backups never replaces every older one).
   *
   * @param backups verified backups, oldest first (as {@link #list} gives them)
   * @return the backups to delete
   */
  static List<Path> toDelete(List<Path> backups, int keep, Instant now, Duration keepDays) {
    Instant cutoff = now.minus(keepDays);
    Path anchor = null;
    for (Path p : backups) {
      Instant at = writtenAt(p);
      if (at != null && at.isBefore(cutoff)) {
        anchor = p; // oldest first: the last one found is the newest older than the cutoff
      }
    }
    List<Path> delete = new java.util.ArrayList<>();
    for (int i = 0; i < backups.size() - keep; i++) {
      if (!backups.get(i).equals(anchor)) {
        delete.add(backups.get(i));
      }
    }
    return delete;
  }

  /** @return the time in a backup's name ({@code archive-<UTC time>-seq<n>.zip}), null when it has none */
  static Instant writtenAt(Path backup) {
    String name = backup.getFileName().toString();
    try {
      return STAMP.parse(name.substring("archive-".length(), "archive-".length() + 16), Instant::from);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** @return the verified backups in {@code dir}, oldest first (the name sorts by time) */
  static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
  }

  private static Optional<Path> newest(Path dir) {
    try {
      List<Path> all = list(dir);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return null;
    }
  }
}
