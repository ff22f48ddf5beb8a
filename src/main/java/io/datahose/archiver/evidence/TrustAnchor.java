package io.datahose.archiver.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

import io.datahose.archiver.config.AppConfig;

/**
 * The public key {@code verify} trusts: the copy in evidence.dir (off the archive's host) when there is one, else
 * the archive key's own. When both exist and differ, that is a problem in itself (the key next to the archive was
 * replaced). Immutable; {@link #of} reads files.
 *
 * @param problem why the key is suspect, or null
 */
public record TrustAnchor(PublicKey publicKey, String problem) {

  /**
   * @return the trust anchor of {@code config}
   * @throws UncheckedIOException when neither the key nor evidence.dir's public key can be read
   */
  public static TrustAnchor of(AppConfig config) {
    Path filed = config.evidence().dir().resolve(ArchiveKey.PUBLIC_KEY_FILE);
    Path keyFile = config.evidenceKeyPath();
    PublicKey own = Files.exists(keyFile) ? ArchiveKey.load(keyFile).publicKey() : null;
    if (!Files.exists(filed)) {
      if (own == null) {
        throw new UncheckedIOException(new IOException("no archive key: neither " + keyFile + " nor " + filed
            + " exists"));
      }
      return new TrustAnchor(own, null);
    }
    PublicKey anchor;
    try {
      anchor = ArchiveKey.readPublicKey(Files.readString(filed, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + filed + ": " + e.getMessage(), e);
    }
    String problem = own != null && !ArchiveKey.fingerprint(own).equals(ArchiveKey.fingerprint(anchor))
        ? "archive key " + keyFile + " is not the key published in evidence.dir (" + ArchiveKey.fingerprint(anchor)
        + ")" : null;
    return new TrustAnchor(anchor, problem);
  }
}
