package io.datahose.archiver.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes evidence files readable by the owner only: directories 0700, files 0600, each file written to a temporary
 * sibling, forced to disk and moved into place, so a reader never sees half a file. Stateless; blocking file I/O.
 */
public final class PrivateFiles {

  private PrivateFiles() {
  }

  /**
   * Creates {@code dir} (and missing parents) as 0700; an existing directory is left as it is.
   *
   * @throws UncheckedIOException when it cannot be created
   */
  public static void ensureDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code file} 0600 (a file written by a library, whatever the umask).
   *
   * @throws UncheckedIOException when its permissions cannot be set
   */
  public static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + file + " private (0600): " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code bytes} to {@code file} (0600), replacing it atomically; with {@code createNew} an existing file is
   * an error (a tree head file is never rewritten).
   *
   * @throws UncheckedIOException when it cannot be written, or exists and {@code createNew}
   */
  public static void write(Path file, byte[] bytes, boolean createNew) {
    Path dir = file.toAbsolutePath().getParent();
    ensureDirectory(dir);
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    try {
      if (createNew && Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.deleteIfExists(tmp);
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Files a signed record (restore record, disposal certificate) as {@code {"record": <text as signed>,
   * "signature": <base64>}} in {@code dir} unless that file exists (filed records are never rewritten).
   */
  static void fileSigned(Path dir, String name, String record, byte[] signature) {
    Path file = dir.resolve(name);
    if (!java.nio.file.Files.exists(file)) {
      ensureDirectory(dir);
      io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject().put("record", record)
          .put("signature", java.util.Base64.getEncoder().encodeToString(signature));
      write(file, (json.encode() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }
  }
}
