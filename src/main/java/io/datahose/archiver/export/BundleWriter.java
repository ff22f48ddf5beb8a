package io.datahose.archiver.export;

import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.EventLog;
import io.datahose.archiver.evidence.Merkle;
import io.datahose.archiver.evidence.PrivateFiles;
import io.datahose.archiver.evidence.TreeHead;
import io.datahose.archiver.evidence.TreeHeads;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import io.datahose.archiver.query.EventFilter;
import io.datahose.archiver.query.EventQueries;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;

/**
 * Writes a self-proving export bundle ({@link Bundle}) of the events a filter selects, up to the newest signed tree
 * head (signing one first when the log grew since), into a directory (files 0600, directory 0700) or a ZIP file.
 * Constant memory apart from the proof cache: events are read a page at a time. Blocking JDBC and file I/O.
 */
public final class BundleWriter {

  private static final int PAGE = 500;
  private static final HexFormat HEX = HexFormat.of();

  private final DSLContext dsl;
  private final ArchiveKey key;
  private final TreeHeads heads;

  public BundleWriter(DSLContext dsl, ArchiveKey key, TreeHeads heads) {
    this.dsl = dsl;
    this.key = key;
    this.heads = heads;
  }

  /** What was written. */
  public record Written(long count, long firstSeq, long lastSeq, long treeSize) {
  }

  /**
   * Writes the bundle into {@code dir} (made if missing; an existing bundle there is an error).
   *
   * @param filter the export filter (type, stream, user, from, to); its cursor and limit are ignored
   * @param gaps   capture gaps overlapping the filter's time range (for the manifest)
   */
  public Written writeDirectory(Path dir, EventFilter filter, JsonObject filterJson, JsonArray gaps) {
    PrivateFiles.ensureDirectory(dir);
    if (Files.exists(dir.resolve(Bundle.MANIFEST))) {
      throw new UncheckedIOException(new IOException(dir + " already holds a bundle"));
    }
    heads.checkpoint();
    TreeHead head = TreeHeads.latest(dsl).orElseThrow(() -> new IllegalStateException(
        "the archive has no signed tree head yet (it holds no events)"));
    List<TreeHead> all = TreeHeads.all(dsl);
    MessageDigest eventsSha = Merkle.sha256();
    MessageDigest proofsSha = Merkle.sha256();
    long count = 0;
    long first = -1;
    long last = 0;
    Merkle.Subtrees tree = EventLog.subtrees(dsl);
    EventQueries events = new EventQueries(dsl);
    try (OutputStream ev = new DigestOutputStream(create(dir.resolve(Bundle.EVENTS)), eventsSha);
         OutputStream pr = new DigestOutputStream(create(dir.resolve(Bundle.PROOFS)), proofsSha)) {
      long after = 0;
      page:
      while (true) {
        List<EventQueries.Line> lines = events.exportPage(filter.afterSeq(after, PAGE));
        if (lines.isEmpty()) {
          break;
        }
        for (EventQueries.Line line : lines) {
          if (line.seq() > head.treeSize()) {
            break page;
          }
          ev.write(line.members());
          ev.write(line.event());
          ev.write('}');
          ev.write('\n');
          JsonArray path = new JsonArray();
          Merkle.inclusionProof(line.seq() - 1, head.treeSize(), tree).forEach(h -> path.add(HEX.formatHex(h)));
          pr.write((new JsonObject().put("seq", line.seq()).put("leafIndex", line.seq() - 1)
              .put("treeSize", head.treeSize()).put("path", path).encode() + "\n").getBytes(StandardCharsets.UTF_8));
          count++;
          first = first < 0 ? line.seq() : first;
          last = line.seq();
          after = line.seq();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bundle in " + dir + ": " + e.getMessage(), e);
    }
    StringBuilder headLines = new StringBuilder();
    for (TreeHead h : all) {
      if (h.id() <= head.id()) {
        headLines.append(h.toJson().encode()).append('\n');
      }
    }
    byte[] headBytes = headLines.toString().getBytes(StandardCharsets.UTF_8);
    byte[] keyBytes = key.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
    PrivateFiles.write(dir.resolve(Bundle.HEADS), headBytes, true);
    PrivateFiles.write(dir.resolve(ArchiveKey.PUBLIC_KEY_FILE), keyBytes, true);
    JsonObject files = new JsonObject()
        .put(Bundle.EVENTS, HEX.formatHex(eventsSha.digest()))
        .put(Bundle.PROOFS, HEX.formatHex(proofsSha.digest()))
        .put(Bundle.HEADS, HEX.formatHex(Merkle.sha256().digest(headBytes)))
        .put(ArchiveKey.PUBLIC_KEY_FILE, HEX.formatHex(Merkle.sha256().digest(keyBytes)));
    JsonObject manifest = new JsonObject()
        .put("format", Bundle.FORMAT)
        .put("archiveId", head.archiveId())
        .put("createdAt", Instant.now().toString())
        .put("filter", filterJson)
        .put("count", count)
        .put("firstSeq", count == 0 ? null : first)
        .put("lastSeq", count == 0 ? null : last)
        .put("treeHead", new JsonObject().put("id", head.id()).put("treeSize", head.treeSize())
            .put("rootHash", head.rootHex()))
        .put("captureGaps", gaps)
        .put("keyFingerprint", key.fingerprint())
        .put("files", files);
    byte[] manifestBytes = (manifest.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8);
    PrivateFiles.write(dir.resolve(Bundle.MANIFEST), manifestBytes, true);
    PrivateFiles.write(dir.resolve(Bundle.SIGNATURE),
        (Base64.getEncoder().encodeToString(key.sign(manifestBytes)) + "\n").getBytes(StandardCharsets.US_ASCII),
        true);
    return new Written(count, first, last, head.treeSize());
  }

  /** As {@link #writeDirectory} into a ZIP file {@code zip} (0600), using {@code work} as a scratch directory. */
  public Written writeZip(Path zip, Path work, EventFilter filter, JsonObject filterJson, JsonArray gaps) {
    Written written = writeDirectory(work, filter, filterJson, gaps);
    try (ZipOutputStream out = new ZipOutputStream(create(zip))) {
      for (String name : List.of(Bundle.MANIFEST, Bundle.SIGNATURE, ArchiveKey.PUBLIC_KEY_FILE, Bundle.HEADS,
          Bundle.EVENTS, Bundle.PROOFS)) {
        out.putNextEntry(new ZipEntry(name));
        Files.copy(work.resolve(name), out);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + zip + ": " + e.getMessage(), e);
    }
    return written;
  }

  /**
   * Writes the files of a bundle ZIP as {@link #writeZip} makes it (streamed from the running daemon, say) into
   * {@code dir} as {@link #writeDirectory} would have: {@code dir} made if missing, an existing bundle there an
   * error, each file 0600, the manifest and its signature last (a directory with a manifest holds a whole bundle).
   * Only the bundle's own file names are accepted. Blocking.
   *
   * @return what the manifest says the bundle holds
   * @throws IOException when the ZIP cannot be read, is not a whole bundle, or a file cannot be written
   */
  public static Written unzip(InputStream zip, Path dir) throws IOException {
    PrivateFiles.ensureDirectory(dir);
    if (Files.exists(dir.resolve(Bundle.MANIFEST))) {
      throw new IOException(dir + " already holds a bundle");
    }
    Map<String, byte[]> last = new HashMap<>();
    Set<String> seen = new HashSet<>();
    try (ZipInputStream in = new ZipInputStream(zip)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        String name = e.getName();
        if (!allFiles().contains(name) || !seen.add(name)) {
          throw new IOException("not a bundle: unexpected entry '" + name + "'");
        }
        if (name.equals(Bundle.MANIFEST) || name.equals(Bundle.SIGNATURE)) {
          last.put(name, in.readAllBytes());
        } else {
          try (OutputStream out = create(dir.resolve(name))) {
            in.transferTo(out);
          }
        }
      }
    }
    if (!seen.equals(allFiles())) {
      throw new IOException("not a whole bundle: it lacks " + allFiles().stream().filter(n -> !seen.contains(n))
          .sorted().toList());
    }
    PrivateFiles.write(dir.resolve(Bundle.MANIFEST), last.get(Bundle.MANIFEST), true);
    PrivateFiles.write(dir.resolve(Bundle.SIGNATURE), last.get(Bundle.SIGNATURE), true);
    JsonObject manifest = new JsonObject(new String(last.get(Bundle.MANIFEST), StandardCharsets.UTF_8));
    Long first = manifest.getLong("firstSeq");
    Long lastSeq = manifest.getLong("lastSeq");
    return new Written(manifest.getLong("count"), first == null ? -1 : first, lastSeq == null ? 0 : lastSeq,
        manifest.getJsonObject("treeHead").getLong("treeSize"));
  }

  private static OutputStream create(Path file) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(Files.createFile(file,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
        StandardOpenOption.WRITE), 1 << 16);
  }

  static Set<String> allFiles() {
    return Set.of(Bundle.MANIFEST, Bundle.SIGNATURE, ArchiveKey.PUBLIC_KEY_FILE, Bundle.HEADS, Bundle.EVENTS,
        Bundle.PROOFS);
  }
}
