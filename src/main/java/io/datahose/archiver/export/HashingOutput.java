package io.datahose.archiver.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An output stream that hashes (SHA-256) and counts what passes through it, so a manifest's hash covers exactly the
 * bytes sent; {@link #digestHex()} ends the hashed part, and what follows (the manifest) goes through unhashed.
 * Not thread-safe.
 */
final class HashingOutput extends FilterOutputStream {

  private final MessageDigest sha256 = sha256();
  private long bytes;
  private boolean hashing = true;

  HashingOutput(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    if (hashing) {
      sha256.update((byte) b);
      bytes++;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    if (hashing) {
      sha256.update(b, off, len);
      bytes += len;
    }
  }

  /** @return the bytes hashed so far */
  long bytes() {
    return bytes;
  }

  /** @return the SHA-256 of everything written so far, in hex; later bytes are not hashed */
  String digestHex() {
    hashing = false;
    return HexFormat.of().formatHex(sha256.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
