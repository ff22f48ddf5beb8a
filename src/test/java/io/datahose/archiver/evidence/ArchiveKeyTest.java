package io.datahose.archiver.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ArchiveKey")
class ArchiveKeyTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("is made at first start (0600), published to evidence.dir (0700), and the same key is loaded again")
  void madeOnceThenLoaded() throws Exception {
    Path keyFile = dir.resolve("archive.key.pem");
    Path evidence = dir.resolve("evidence");
    ArchiveKey made = ArchiveKey.loadOrCreate(keyFile, true, evidence);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(evidence))).isEqualTo("rwx------");
    assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(evidence.resolve(ArchiveKey.PUBLIC_KEY_FILE))).isEqualTo(made.publicKeyPem());
    assertThat(Files.readString(evidence.resolve(ArchiveKey.FINGERPRINT_FILE)).trim()).isEqualTo(made.fingerprint())
        .hasSize(64);
    ArchiveKey again = ArchiveKey.loadOrCreate(keyFile, true, evidence);
    assertThat(again.fingerprint()).isEqualTo(made.fingerprint());
    assertThat(again.publicKeyPem()).isEqualTo(made.publicKeyPem());
  }

  @Test
  @DisplayName("signs so that its public key (also read back from PEM) verifies, and refuses altered data")
  void signAndVerify() {
    ArchiveKey key = ArchiveKey.generate();
    byte[] data = "tree head".getBytes(StandardCharsets.UTF_8);
    byte[] sig = key.sign(data);
    assertThat(sig).hasSize(64);
    assertThat(key.verify(data, sig)).isTrue();
    assertThat(ArchiveKey.verify(ArchiveKey.readPublicKey(key.publicKeyPem()), data, sig)).isTrue();
    assertThat(key.verify("tree heaD".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    sig[3] ^= 1;
    assertThat(key.verify(data, sig)).isFalse();
    assertThat(ArchiveKey.verify(ArchiveKey.generate().publicKey(), data, key.sign(data))).isFalse();
    assertThat(ArchiveKey.fingerprint(ArchiveKey.readPublicKey(key.publicKeyPem()))).isEqualTo(key.fingerprint());
  }

  @Test
  @DisplayName("a key made by openssl genpkey loads, with the fingerprint Python's cryptography computes")
  void opensslKey() throws Exception {
    Path pem = dir.resolve("openssl.pem");
    Process openssl = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out", pem.toString())
        .redirectErrorStream(true).start();
    assertThat(openssl.waitFor()).isZero();
    ArchiveKey key = ArchiveKey.load(pem);
    Process python = new ProcessBuilder("python3", "-c", "import hashlib,sys\n"
        + "from cryptography.hazmat.primitives import serialization as s\n"
        + "k = s.load_pem_private_key(open(sys.argv[1], 'rb').read(), None).public_key()\n"
        + "print(hashlib.sha256(k.public_bytes(s.Encoding.DER, s.PublicFormat.SubjectPublicKeyInfo)).hexdigest())",
        pem.toString()).redirectErrorStream(true).start();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(python.waitFor()).as(out).isZero();
    assertThat(key.fingerprint()).isEqualTo(out);
    assertThat(key.verify("x".getBytes(StandardCharsets.UTF_8), key.sign("x".getBytes(StandardCharsets.UTF_8))))
        .isTrue();
  }

  @Test
  @DisplayName("a configured key that is missing or not an Ed25519 PKCS#8 key is refused without its content")
  void badKeys() throws Exception {
    assertThatThrownBy(() -> ArchiveKey.loadOrCreate(dir.resolve("nope.pem"), false, null))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope.pem");
    Path rsa = dir.resolve("rsa.pem");
    Files.writeString(rsa, "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ArchiveKey.load(rsa)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an Ed25519").hasMessageNotContaining("MIIB");
    Path text = dir.resolve("text.pem");
    Files.writeString(text, "hello");
    assertThatThrownBy(() -> ArchiveKey.load(text)).hasMessageContaining("no PEM");
  }
}
