package io.datahose.archiver.export;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The eml format's container: each message a ZIP entry, hashed as written, then {@code manifest.json} with the
 * entries' names, sizes and SHA-256 and the hash of all entries in order. Not thread-safe.
 */
final class ZipTarget implements EmlWriter.EmlTarget {

  private final ZipOutputStream zip;
  private final MessageDigest all = HashingOutput.sha256();
  private final JsonArray entries = new JsonArray();
  private final Set<String> names = new HashSet<>();

  ZipTarget(OutputStream out) {
    zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
  }

  @Override
  public void accept(EmlWriter.EmlPart part, MimeMessage message) throws IOException {
    String name = part.fileName();
    for (int n = 2; !names.add(name); n++) { // two streams whose names cut to the same text
      name = part.fileName().replace(".eml", " (" + n + ").eml");
    }
    zip.putNextEntry(new ZipEntry(name));
    HashingOutput entry = new HashingOutput(new FilterOutputStream(zip) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        all.update(b, off, len);
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        all.update((byte) b);
      }

      @Override
      public void close() {
        // the entry ends, not the ZIP
      }
    });
    try {
      message.writeTo(entry);
    } catch (MessagingException e) {
      throw new IOException("cannot write " + name + ": " + e.getMessage(), e);
    }
    zip.closeEntry();
    entries.add(new JsonObject().put("name", name).put("bytes", entry.bytes()).put("sha256", entry.digestHex())
        .put("messageId", part.messageId()).put("firstSeq", part.firstSeq()).put("lastSeq", part.lastSeq()));
  }

  /** Adds the manifest (with the entries and their hash) as the last entry and ends the ZIP. */
  void finish(JsonObject manifest) throws IOException {
    manifest.put("sha256", HexFormat.of().formatHex(all.digest())).put("entries", entries);
    zip.putNextEntry(new ZipEntry("manifest.json"));
    zip.write(manifest.encodePrettily().getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    zip.finish();
    zip.flush();
  }
}
