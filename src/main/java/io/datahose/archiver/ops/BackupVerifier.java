package io.datahose.archiver.ops;

import io.datahose.archiver.archive.ArchiveCopy;
import io.datahose.archiver.evidence.ArchiveKey;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Proves a backup zip is this installation's archive before anything opens it, then that it is a usable archive.
 *
 * <p>A backup holds three entries: the H2 file ({@code <name>.mv.db}, written by {@code BACKUP TO}),
 * {@value #MANIFEST} (its name, size and SHA-256, and what the check found) and {@value #SIGNATURE} (the archive
 * key's Ed25519 signature of the manifest bytes, Base64). {@link #verify} checks, in this order: exactly those
 * entries; the signature against the archive's public key (a forged or foreign file is refused here, unopened);
 * the declared size against the signed one and against free disk; then extracts with a hard cap at the signed size
 * and compares the SHA-256. Only then does H2 open the copy, read-only, and {@link ArchiveCopy} refuses any alias,
 * trigger, view, or table the migrations did not create, and any migration history that is not ours, before a row
 * is read; last the data checks: seq gapless ({@code count = max(seq)}, counter = max + 1) and the feed cursors
 * account for exactly the events present. The copy is read by the archive layer ({@link ArchiveCopy}), never the
 * live archive. Blocking; stateless.
 */
public final class BackupVerifier {

  /** Zip entry: the signed manifest (JSON). */
  static final String MANIFEST = "backup-manifest.json";
  /** Zip entry: Base64 Ed25519 signature of the manifest's bytes. */
  static final String SIGNATURE = "backup-manifest.sig";
  static final String FORMAT = "datahose-backup/1";
  private static final int MAX_MANIFEST_BYTES = 64 * 1024;
  private static final int MAX_SIGNATURE_BYTES = 1024;
  /**
   * Refused before extraction: a database entry over {@link #RATIO_FLOOR} inflating more than this ratio (a zip
   * bomb; deflate tops out near 1032:1, and an H2 file is that compressible only when it is almost all free space).
   */
  static final long MAX_RATIO = 500;
  private static final long RATIO_FLOOR = 16L << 20;

  /**
   * What a verified backup holds.
   *
   * @param lastSeq the highest seq handed out: of an event, or of the seqs a restore made void
   * @param voided  how many seqs restores made void (0 before any restore)
   */
  public record Verification(Path file, int schemaVersion, long events, long lastSeq, int cursors, long voided) {
    /** @return one line for logs and the CLI */
    public String describe() {
      return "backup " + file.getFileName() + " verified: schema version " + schemaVersion + ", " + events
          + " events (seq 1.." + lastSeq + (voided == 0 ? "" : " of which " + voided + " void by restores")
          + ", gapless), " + cursors + " feed cursor(s) consistent with the events";
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("schemaVersion", schemaVersion).put("events", events)
          .put("lastSeq", lastSeq).put("cursors", cursors);
      // absent without voids: the manifests of backups taken before any restore are unchanged
      return voided == 0 ? json : json.put("voided", voided);
    }
  }

  private BackupVerifier() {
  }

  /**
   * Verifies a signed backup (see the class comment).
   *
   * @param key the archive's public key
   * @throws BackupException when a check fails: nothing of a refused file was opened by H2
   */
  public static Verification verify(Path zip, PublicKey key) {
    Path temp = null;
    try {
      temp = Files.createTempDirectory("datahose-verify-");
      Extracted extracted = extract(zip, key, temp, n -> { });
      return extracted.verification(check(zip, extracted.database(), key));
    } catch (IOException e) {
      throw new BackupException("backup " + zip + " cannot be read: " + e.getMessage(), e);
    } finally {
      deleteTree(temp);
    }
  }

  /**
   * Checks the plain H2 zip {@code BACKUP TO} just wrote (opened: it is the live archive's own copy) and adds the
   * signed manifest to it.
   */
  static Verification checkAndSign(Path h2Zip, ArchiveKey key) {
    Path temp = null;
    try {
      temp = Files.createTempDirectory("datahose-verify-");
      String name;
      long size;
      String sha256;
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(h2Zip))) {
        ZipEntry entry = in.getNextEntry();
        if (entry == null || !validDatabaseName(entry.getName()) || !entry.getName().equals(baseName(entry.getName()))) {
          throw new BackupException("H2 wrote no single database file to " + h2Zip, null);
        }
        name = entry.getName();
        MessageDigest digest = sha256();
        try (OutputStream out = Files.newOutputStream(temp.resolve(name))) {
          size = copy(new DigestInputStream(in, digest), out, Long.MAX_VALUE, n -> { });
        }
        sha256 = HexFormat.of().formatHex(digest.digest());
        if (in.getNextEntry() != null) {
          // H2 adds every <name>.*.mv.db of the directory (an operator's copy): restore would refuse such a zip
          throw new BackupException("H2 wrote more than the archive into " + h2Zip + ": move other " + name
              .replace(".mv.db", ".*.mv.db") + " files out of the archive's directory", null);
        }
      }
      Path db = temp.resolve(name.substring(0, name.length() - ".mv.db".length()));
      Verification v = check(h2Zip, db, key.publicKey());
      JsonObject manifest = new JsonObject().put("format", FORMAT)
          .put("keyFingerprint", key.fingerprint())
          .put("database", new JsonObject().put("name", name).put("size", size).put("sha256", sha256))
          .put("verification", v.toJson());
      byte[] bytes = manifest.encodePrettily().getBytes(StandardCharsets.UTF_8);
      byte[] signature = Base64.getEncoder().encode(key.sign(bytes));
      try (FileSystem fs = FileSystems.newFileSystem(h2Zip, Map.of())) { // not cached, unlike a jar: URI
        Files.write(fs.getPath(MANIFEST), bytes);
        Files.write(fs.getPath(SIGNATURE), signature);
      }
      return v;
    } catch (IOException e) {
      throw new BackupException("backup " + h2Zip + " cannot be checked and signed: " + e.getMessage(), e);
    } finally {
      deleteTree(temp);
    }
  }

  /** The database file extracted from a verified zip, and the manifest's own account of it. */
  record Extracted(Path database, JsonObject manifest) {
    /** @return {@code found}, after it agrees with what the signed manifest says */
    Verification verification(Verification found) {
      JsonObject said = manifest.getJsonObject("verification", new JsonObject());
      if (!found.toJson().equals(said)) {
        throw new BackupException("backup " + found.file() + ": the archive holds " + found.toJson().encode()
            + " but its signed manifest says " + said.encode(), null);
      }
      return found;
    }
  }

  /**
   * Checks entries, signature and declared sizes, then extracts the database into {@code dir} capped at its signed
   * size and compares its SHA-256; nothing is opened.
   *
   * @return the extracted database's path without {@code .mv.db}, and the manifest
   */
  static Extracted extract(Path zip, PublicKey key, Path dir, LongConsumer bytesCopied) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Set<String> names = new TreeSet<>();
      file.stream().forEach(e -> names.add(e.getName()));
      byte[] manifestBytes = read(file, MANIFEST, MAX_MANIFEST_BYTES, zip);
      byte[] signature = decodeSignature(read(file, SIGNATURE, MAX_SIGNATURE_BYTES, zip), zip);
      if (!ArchiveKey.verify(key, manifestBytes, signature)) {
        throw new BackupException("backup " + zip + " is not signed by this archive's key (fingerprint "
            + ArchiveKey.fingerprint(key) + "): refused unopened", null);
      }
      JsonObject manifest;
      try {
        manifest = new JsonObject(new String(manifestBytes, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw new BackupException("backup " + zip + ": the signed manifest is not JSON", e);
      }
      JsonObject database = manifest.getJsonObject("database", new JsonObject());
      String name = database.getString("name", "");
      long size = database.getLong("size", -1L);
      String sha256 = database.getString("sha256", "");
      if (!FORMAT.equals(manifest.getString("format")) || !validDatabaseName(name) || size < 0) {
        throw new BackupException("backup " + zip + ": manifest format " + manifest.getString("format")
            + " is not " + FORMAT, null);
      }
      if (!names.equals(new TreeSet<>(List.of(name, MANIFEST, SIGNATURE)))) {
        throw new BackupException("backup " + zip + " holds entries " + names + "; a backup holds exactly " + name
            + ", " + MANIFEST + " and " + SIGNATURE, null);
      }
      ZipEntry entry = file.getEntry(name);
      if (entry.getSize() != size) {
        throw new BackupException("backup " + zip + ": " + name + " declares " + entry.getSize()
            + " bytes, its signed manifest " + size, null);
      }
      if (entry.getCompressedSize() >= 0 && size > Math.max(RATIO_FLOOR, entry.getCompressedSize() * MAX_RATIO)) {
        throw new BackupException("backup " + zip + ": " + name + " would inflate " + size + " bytes from "
            + entry.getCompressedSize() + " (more than " + MAX_RATIO + ":1): refused before extraction", null);
      }
      FileStore store = Files.getFileStore(dir);
      if (store.getUsableSpace() < size) {
        throw new BackupException("backup " + zip + ": " + name + " needs " + Bytes.human(size) + " but "
            + dir + " has " + Bytes.human(store.getUsableSpace()) + " free", null);
      }
      Path target = dir.resolve(name);
      MessageDigest digest = sha256();
      long copied;
      try (InputStream in = new DigestInputStream(file.getInputStream(entry), digest);
           OutputStream out = Files.newOutputStream(target)) {
        copied = copy(in, out, size, bytesCopied);
      }
      if (copied != size || !HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
        Files.deleteIfExists(target);
        throw new BackupException("backup " + zip + ": " + name + " does not match its signed size and SHA-256"
            + " (altered or truncated)", null);
      }
      return new Extracted(dir.resolve(name.substring(0, name.length() - ".mv.db".length())), manifest);
    } catch (java.util.zip.ZipException e) {
      throw new BackupException("backup " + zip + " is not a zip: " + e.getMessage(), e);
    }
  }

  private static byte[] read(ZipFile file, String name, int max, Path zip) throws IOException {
    ZipEntry entry = file.getEntry(name);
    if (entry == null) {
      throw new BackupException("backup " + zip + " has no " + name + ": not a signed backup of this archive"
          + " (backups made before signing existed cannot be restored by this version)", null);
    }
    try (InputStream in = file.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new BackupException("backup " + zip + ": " + name + " is larger than " + max + " bytes", null);
      }
      return bytes;
    }
  }

  private static byte[] decodeSignature(byte[] text, Path zip) {
    try {
      return Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).trim());
    } catch (IllegalArgumentException e) {
      throw new BackupException("backup " + zip + ": " + SIGNATURE + " is not Base64", e);
    }
  }

  /** A bare file name ending in .mv.db: no directory, no "..", nothing H2 would not write. */
  static boolean validDatabaseName(String name) {
    return name != null && name.matches("[A-Za-z0-9._-]{1,200}\\.mv\\.db") && !name.contains("..");
  }

  private static String baseName(String name) {
    return Path.of(name).getFileName().toString();
  }

  /** Copies at most {@code max} bytes; @return the bytes copied; @throws BackupException when there are more */
  private static long copy(InputStream in, OutputStream out, long max, LongConsumer bytesCopied) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > max) {
        throw new BackupException("the database entry inflates past its signed size " + max + ": refused", null);
      }
      out.write(buffer, 0, n);
      bytesCopied.accept(total);
    }
    return total;
  }

  static Verification check(Path zip, Path db, PublicKey key) {
    ArchiveCopy.Contents copy;
    try {
      copy = ArchiveCopy.read(db, zip, key);
    } catch (ArchiveCopy.Refused e) {
      throw new BackupException(e.getMessage(), e.getCause());
    }
    // a restore's void seqs hold no event and are never handed out again: the gapless count includes them
    long top = Math.max(copy.lastSeq(), copy.lastVoid());
    if (copy.events() + copy.voided() != top || copy.nextSeq() != top + 1) {
      throw new BackupException("backup " + zip + ": seq is not gapless (" + copy.events() + " events, max seq "
          + copy.lastSeq() + ", next seq " + copy.nextSeq() + (copy.voided() == 0 ? ""
          : ", " + copy.voided() + " seqs void by restores up to " + copy.lastVoid()) + ")", null);
    }
    if (copy.cursorEvents() != copy.events()) {
      throw new BackupException("backup " + zip + ": feed cursors account for " + copy.cursorEvents()
          + " events but " + copy.events() + " are archived", null);
    }
    return new Verification(zip, copy.schemaVersion(), copy.events(), top, copy.cursors(), copy.voided());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>();
      paths.sorted(Comparator.reverseOrder()).forEach(all::add);
      all.forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp dir
    }
  }
}
