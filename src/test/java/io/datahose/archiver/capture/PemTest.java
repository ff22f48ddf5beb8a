package io.datahose.archiver.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.datahose.archiver.testing.TestKeys;

@DisplayName("Pem")
class PemTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("reads PKCS#8 and PKCS#1 private keys to the same key, and round-trips a PKCS#8 write")
  void readsBothEncodings() throws Exception {
    KeyPair keys = TestKeys.rsa();
    Path pkcs8 = TestKeys.writePrivateKey(keys, dir, false);
    Path pkcs1 = TestKeys.writePrivateKey(keys, dir, true);
    assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Pem.readPrivateKey(pkcs8).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    assertThat(Pem.readPrivateKey(pkcs1).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());

    Path written = dir.resolve("written.pem");
    Pem.writePrivateKeyPkcs8(Pem.readPrivateKey(pkcs1), written);
    assertThat(Files.readString(written)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Pem.readPrivateKey(written).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    assertThat(Pem.publicKeyPem(keys.getPublic())).startsWith("-----BEGIN PUBLIC KEY-----");
  }

  @Test
  @DisplayName("a file without a private key is refused with its name")
  void refusesNonKey() throws Exception {
    Path file = Files.writeString(dir.resolve("cert.pem"), Pem.publicKeyPem(TestKeys.rsa().getPublic()));
    assertThatThrownBy(() -> Pem.readPrivateKey(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }
}
