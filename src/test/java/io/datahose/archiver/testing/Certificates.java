package io.datahose.archiver.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for TLS tests: a CA, a server certificate for {@code CN=localhost} (SAN DNS:localhost,
 * IP:127.0.0.1) and a client certificate {@code CN=<botUsername>}, both signed by the CA. Writes PKCS#12
 * key stores (server, client) and a PKCS#12 trust store holding the CA. Immutable after {@link #generate};
 * the write methods may be called from any thread.
 */
public final class Certificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final KeyPair serverKeys;
  private final X509Certificate server;
  private final KeyPair clientKeys;
  private final X509Certificate client;

  private Certificates(KeyPair caKeys, X509Certificate ca, KeyPair serverKeys, X509Certificate server,
                       KeyPair clientKeys, X509Certificate client) {
    this.caKeys = caKeys;
    this.ca = ca;
    this.serverKeys = serverKeys;
    this.server = server;
    this.clientKeys = clientKeys;
    this.client = client;
  }

  /** @return a new CA with a localhost server certificate and a client certificate for {@code botUsername} */
  public static Certificates generate(String botUsername) {
    try {
      KeyPair caKeys = TestKeys.rsa();
      X500Name caName = new X500Name("CN=Datahose Archiver Test CA");
      X509Certificate ca = build(caName, caKeys, caName, caKeys.getPrivate(), true, null, null);

      KeyPair serverKeys = TestKeys.rsa();
      GeneralNames san = new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
      X509Certificate server = build(new X500Name("CN=localhost"), serverKeys, caName, caKeys.getPrivate(), false,
          san, KeyPurposeId.id_kp_serverAuth);

      KeyPair clientKeys = TestKeys.rsa();
      X509Certificate client = build(new X500Name("CN=" + botUsername), clientKeys, caName, caKeys.getPrivate(),
          false, null, KeyPurposeId.id_kp_clientAuth);
      return new Certificates(caKeys, ca, serverKeys, server, clientKeys, client);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot generate test certificates", e);
    }
  }

  /** @return {@code server.p12} in {@code dir}: the server key + certificate chain, alias "server" */
  public Path writeServerKeyStore(Path dir, String password) {
    return writeKeyStore(dir.resolve("server.p12"), "server", serverKeys.getPrivate(), server, password);
  }

  /** @return {@code client.p12} in {@code dir}: the bot's key + certificate chain, alias "client" */
  public Path writeClientKeyStore(Path dir, String password) {
    return writeKeyStore(dir.resolve("client.p12"), "client", clientKeys.getPrivate(), client, password);
  }

  /** @return {@code truststore.p12} in {@code dir}: the CA certificate only, alias "ca" */
  public Path writeTrustStore(Path dir, String password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", ca);
      return save(store, dir.resolve("truststore.p12"), password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write trust store", e);
    }
  }

  /** @return the CA certificate (e.g. to write a PEM trust file) */
  public X509Certificate caCertificate() {
    return ca;
  }

  /** @return the server certificate */
  public X509Certificate serverCertificate() {
    return server;
  }

  /** @return the client (bot) certificate */
  public X509Certificate clientCertificate() {
    return client;
  }

  /** @return the CA's key pair (to sign further certificates in a test) */
  public KeyPair caKeys() {
    return caKeys;
  }

  /**
   * @return {@code server.pem} (the server certificate, then the CA's) and {@code server-key.pem} (its PKCS#8 key)
   *     in {@code dir}: the daemon's {@code http.tls.cert} and {@code http.tls.key}
   */
  public Path[] writeServerPem(Path dir) {
    try {
      Path cert = dir.resolve("server.pem");
      Files.writeString(cert, TestKeys.pem("CERTIFICATE", server.getEncoded())
          + TestKeys.pem("CERTIFICATE", ca.getEncoded()));
      Path key = dir.resolve("server-key.pem");
      Files.writeString(key, TestKeys.pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));
      return new Path[] {cert, key};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return {@code ca.pem} in {@code dir}: the CA certificate as PEM */
  public Path writeCaPem(Path dir) {
    try {
      Path file = dir.resolve("ca.pem");
      Files.writeString(file, TestKeys.pem("CERTIFICATE", ca.getEncoded()));
      return file;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path writeKeyStore(Path file, String alias, PrivateKey key, X509Certificate cert, String password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, key, password.toCharArray(), new X509Certificate[] {cert, ca});
      return save(store, file, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write key store " + file, e);
    }
  }

  private static Path save(KeyStore store, Path file, String password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                       boolean isCa, GeneralNames san, KeyPurposeId purpose)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))), subject, subjectKeys.getPublic());
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }
    if (san != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, san);
    }
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }
}
