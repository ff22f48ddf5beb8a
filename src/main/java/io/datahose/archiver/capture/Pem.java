package io.datahose.archiver.capture;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM reading and writing for bot keys. Reads unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) and PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) private keys via BouncyCastle (the JDK cannot read PKCS#1). Errors never
 * contain key material. Stateless and thread-safe; blocking file I/O.
 */
public final class Pem {

  private Pem() {
  }

  /**
   * @return the private key in {@code file}
   * @throws IllegalArgumentException when the file holds no supported unencrypted private key
   * @throws UncheckedIOException when the file cannot be read
   */
  public static PrivateKey readPrivateKey(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());     // PKCS#1 "RSA PRIVATE KEY"
      }
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);                         // PKCS#8 "PRIVATE KEY"
      }
      throw new IllegalArgumentException(file + ": not an unencrypted PKCS#8 or PKCS#1 private key PEM"
          + (object == null ? " (no PEM block found)" : " (found " + object.getClass().getSimpleName() + ")"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read private key " + file, e);
    }
  }

  /**
   * @return the RSA public key in {@code file}: a {@code BEGIN PUBLIC KEY} PEM, or derived from a private key PEM
   * @throws IllegalArgumentException when the file holds neither
   */
  public static PublicKey readPublicKey(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (object instanceof SubjectPublicKeyInfo info) {
        return new JcaPEMKeyConverter().getPublicKey(info);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key " + file, e);
    }
    PrivateKey key = readPrivateKey(file);
    if (!(key instanceof RSAPrivateCrtKey rsa)) {
      throw new IllegalArgumentException(file + ": the private key does not carry its public exponent");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** @return the key as PEM PKCS#8 ({@code BEGIN PRIVATE KEY}) */
  public static String privateKeyPkcs8Pem(PrivateKey key) {
    return write(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  /** @return the key as X.509 SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}), as a pod admin imports it */
  public static String publicKeyPem(PublicKey key) {
    return write(new PemObject("PUBLIC KEY", key.getEncoded()));
  }

  /** Writes the key to {@code file} as PEM PKCS#8, replacing the file. */
  public static void writePrivateKeyPkcs8(PrivateKey key, Path file) {
    // 0600 whatever the umask, written to a sibling and moved into place
    io.datahose.archiver.evidence.PrivateFiles.write(file, privateKeyPkcs8Pem(key).getBytes(StandardCharsets.US_ASCII),
        false);
  }

  private static String write(PemObject object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);              // a StringWriter does not fail
    }
    return out.toString();
  }
}
