package io.datahose.archiver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * RSA key pairs for tests: generation and writing the private key as a PEM file in either encoding
 * Symphony bots use (PKCS#8 {@code BEGIN PRIVATE KEY} or PKCS#1 {@code BEGIN RSA PRIVATE KEY}).
 * Thread-safe; every call generates or writes fresh material.
 */
public final class TestKeys {

  private TestKeys() {
  }

  /** @return a fresh 2048-bit RSA key pair */
  public static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  /**
   * Writes the private key of {@code keys} to {@code dir} as PEM.
   *
   * @param pkcs1 true for {@code BEGIN RSA PRIVATE KEY} (PKCS#1), false for {@code BEGIN PRIVATE KEY} (PKCS#8)
   * @return the written file ({@code bot-pkcs1.pem} or {@code bot-pkcs8.pem})
   */
  public static Path writePrivateKey(KeyPair keys, Path dir, boolean pkcs1) {
    try {
      byte[] pkcs8 = keys.getPrivate().getEncoded();
      byte[] der = pkcs1 ? PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded() : pkcs8;
      String label = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
      Path file = dir.resolve(pkcs1 ? "bot-pkcs1.pem" : "bot-pkcs8.pem");
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
        out.write(pem(label, der));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return {@code der} wrapped as PEM with 64-character lines */
  static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
