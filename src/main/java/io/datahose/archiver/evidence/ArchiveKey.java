package io.datahose.archiver.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's Ed25519 signing key (JDK built-in Ed25519): it signs tree heads, export manifests and backups. Read
 * from {@code evidence.key} (PEM PKCS#8) or, when that is not configured, from {@code <database.path>.key.pem}, which
 * {@link #loadOrCreate} makes at first start (0600). Its public key ({@value #PUBLIC_KEY_FILE}) and fingerprint
 * ({@value #FINGERPRINT_FILE}) are written to {@code evidence.dir}. The fingerprint is the SHA-256 (hex) of the DER
 * SubjectPublicKeyInfo, i.e. of the bytes inside the public key PEM. Errors never contain key material. Immutable
 * and thread-safe; {@link #loadOrCreate} does blocking file I/O.
 */
public final class ArchiveKey {

  /** Public key file in {@code evidence.dir} (and in every export bundle). */
  public static final String PUBLIC_KEY_FILE = "archive-key.pub.pem";
  /** Fingerprint file in {@code evidence.dir}: hex SHA-256 of the public key, one line. */
  public static final String FINGERPRINT_FILE = "archive-key.fingerprint";

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveKey.class);
  private static final String ALGORITHM = "Ed25519";
  /** DER prefix of an Ed25519 PKCS#8 v1 private key (RFC 8410 §7); the 32 key bytes follow. */
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4); the 32 key bytes follow. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private ArchiveKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * Loads the key at {@code keyFile}, or makes it there (0600) when it does not exist and {@code create}; then writes
   * the public key and fingerprint to {@code evidenceDir} (0700) when they are missing or differ.
   *
   * @param keyFile     {@code evidence.key} or {@code <database.path>.key.pem}
   * @param create      true to make a missing key (only for the default path: a configured key must exist)
   * @param evidenceDir {@code evidence.dir}, or null to write nothing
   * @return the key
   * @throws IllegalArgumentException when the file holds no Ed25519 PKCS#8 private key
   * @throws UncheckedIOException     when a file cannot be read or written
   */
  public static ArchiveKey loadOrCreate(Path keyFile, boolean create, Path evidenceDir) {
    Objects.requireNonNull(keyFile, "keyFile");
    ArchiveKey key;
    if (Files.exists(keyFile)) {
      key = load(keyFile);
    } else if (create) {
      key = generate();
      PrivateFiles.write(keyFile, key.privateKeyPem().getBytes(StandardCharsets.US_ASCII), true);
      LOG.info("made the archive's signing key {} (fingerprint {})", keyFile, key.fingerprint());
    } else {
      throw new UncheckedIOException(new IOException("archive key " + keyFile + " does not exist"));
    }
    if (evidenceDir != null) {
      key.publish(evidenceDir);
    }
    return key;
  }

  /**
   * As {@link #loadOrCreate(Path, boolean, Path)} for a configuration: {@code evidence.key} when set (must exist),
   * else {@code <database.path>.key.pem} (made when missing); publishes to {@code evidence.dir}.
   */
  public static ArchiveKey loadOrCreate(io.datahose.archiver.config.AppConfig config) {
    return loadOrCreate(config.evidenceKeyPath(), config.evidence().key() == null, config.evidence().dir());
  }

  /** @return a fresh key pair (not written anywhere) */
  public static ArchiveKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      return new ArchiveKey(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  /**
   * @return the key in {@code file} (PEM {@code BEGIN PRIVATE KEY}, Ed25519)
   * @throws IllegalArgumentException when it holds no Ed25519 PKCS#8 private key
   */
  public static ArchiveKey load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read archive key " + file + ": " + e.getMessage(), e);
    }
    byte[] der = pemBody(text, "PRIVATE KEY", "archive key " + file);
    if (der.length != PKCS8_PREFIX.length + 32 || !Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0,
        PKCS8_PREFIX.length)) {
      throw new IllegalArgumentException("archive key " + file + " is not an Ed25519 PKCS#8 private key");
    }
    try {
      PrivateKey priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] pub = new Ed25519PrivateKeyParameters(der, PKCS8_PREFIX.length).generatePublicKey().getEncoded();
      return new ArchiveKey(priv, publicKeyFromRaw(pub));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("archive key " + file + " is not an Ed25519 PKCS#8 private key");
    }
  }

  /** @return the Ed25519 signature (64 bytes) of {@code data} */
  public byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** @return true when {@code signature} is this key's signature of {@code data} */
  public boolean verify(byte[] data, byte[] signature) {
    return verify(publicKey, data, signature);
  }

  /** @return true when {@code signature} is {@code publicKey}'s Ed25519 signature of {@code data} (false if malformed) */
  public static boolean verify(PublicKey publicKey, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(publicKey);
      s.update(data);
      return s.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification unavailable", e);
    }
  }

  /**
   * @return the Ed25519 public key in {@code pem} ({@code BEGIN PUBLIC KEY})
   * @throws IllegalArgumentException when it holds none
   */
  public static PublicKey readPublicKey(String pem) {
    byte[] der = pemBody(pem, "PUBLIC KEY", "public key");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
  }

  /** @return the hex SHA-256 of {@code publicKey}'s DER SubjectPublicKeyInfo */
  public static String fingerprint(PublicKey publicKey) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** @return the public key as PEM ({@code BEGIN PUBLIC KEY}, SubjectPublicKeyInfo) */
  public String publicKeyPem() {
    return pem("PUBLIC KEY", publicKey.getEncoded());
  }

  /** @return the hex SHA-256 of the public key (see the class comment) */
  public String fingerprint() {
    return fingerprint(publicKey);
  }

  private String privateKeyPem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /** Writes the public key and its fingerprint to {@code dir} unless they are there already. */
  private void publish(Path dir) {
    PrivateFiles.ensureDirectory(dir);
    writeIfDifferent(dir.resolve(PUBLIC_KEY_FILE), publicKeyPem());
    writeIfDifferent(dir.resolve(FINGERPRINT_FILE), fingerprint() + "\n");
  }

  private static void writeIfDifferent(Path file, String text) {
    try {
      if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(text)) {
        return;
      }
    } catch (IOException e) {
      // unreadable: rewrite it below
    }
    PrivateFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), false);
  }

  private static PublicKey publicKeyFromRaw(byte[] raw) throws GeneralSecurityException {
    byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
    System.arraycopy(raw, 0, der, SPKI_PREFIX.length, raw.length);
    return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static byte[] pemBody(String text, String type, String what) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(what + " holds no PEM '" + type + "' block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " has a malformed PEM '" + type + "' block");
    }
  }
}
