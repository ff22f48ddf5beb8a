package io.datahose.archiver.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Locale;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.datahose.archiver.config.AppConfig;

/**
 * Builds the trust anchors for Symphony calls: the JVM's default CAs PLUS the CAs of
 * {@code symphony.trustStore} (PKCS#12 by default, JKS for {@code .jks}, PEM for {@code .pem/.crt/.cer}).
 * Keeping the JVM defaults matters for the common hybrid install: a cloud pod with a public certificate
 * and an on-prem agent or key manager behind the bank's private CA. Blocking file I/O: call at start-up.
 */
final class TrustStores {

  private TrustStores() {
  }

  /** @return a factory trusting the JVM defaults and every certificate of {@code store} */
  static TrustManagerFactory withExtraCas(AppConfig.Store store) {
    try {
      KeyStore merged = KeyStore.getInstance(KeyStore.getDefaultType());
      merged.load(null, null);
      int n = 0;
      for (X509Certificate ca : jvmDefaults()) {
        merged.setCertificateEntry("jvm-" + n++, ca);
      }
      for (Certificate ca : load(store)) {
        merged.setCertificateEntry("configured-" + n++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(merged);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("symphony.trustStore.path: cannot load " + store.path()
          + " (" + e.getMessage() + ")", e);
    }
  }

  private static Iterable<Certificate> load(AppConfig.Store store) throws GeneralSecurityException, IOException {
    Path path = store.path();
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    try (InputStream in = Files.newInputStream(path)) {
      if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
        return java.util.List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      KeyStore keyStore = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
      String password = store.passwordValue();
      keyStore.load(in, password == null ? null : password.toCharArray());
      java.util.List<Certificate> certificates = new java.util.ArrayList<>();
      for (String alias : Collections.list(keyStore.aliases())) {
        if (keyStore.isCertificateEntry(alias)) {
          certificates.add(keyStore.getCertificate(alias));
        }
      }
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException("no trusted certificate entries");
      }
      return certificates;
    }
  }

  private static X509Certificate[] jvmDefaults() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }
}
