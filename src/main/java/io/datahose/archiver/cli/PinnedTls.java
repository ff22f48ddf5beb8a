package io.datahose.archiver.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TLS for the CLI's request to its own daemon: the server is trusted when its certificate is byte for byte one of
 * those in the daemon's {@code http.tls.cert} (pinned). An {@link X509ExtendedTrustManager}, so the JDK adds no host
 * name check: the pin identifies the daemon, and the loopback address need not be in the certificate. Immutable.
 */
final class PinnedTls extends X509ExtendedTrustManager {

  private final List<X509Certificate> pins;

  private PinnedTls(List<X509Certificate> pins) {
    this.pins = pins;
  }

  /**
   * @return a TLS context trusting exactly the certificates in {@code certFile} (PEM)
   * @throws CommandFailure when the file cannot be read
   */
  static SSLContext context(Path certFile) {
    List<X509Certificate> pins = new ArrayList<>();
    try (InputStream in = Files.newInputStream(certFile)) {
      CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> pins.add((X509Certificate) c));
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new PinnedTls(pins)}, null);
      return tls;
    } catch (IOException | GeneralSecurityException e) {
      throw new CommandFailure("cannot read http.tls.cert " + certFile + " to trust the daemon's certificate: "
          + e.getMessage());
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    for (X509Certificate pin : pins) {
      if (chain.length > 0 && Arrays.equals(pin.getEncoded(), chain[0].getEncoded())) {
        return;
      }
    }
    throw new CertificateException("the daemon's certificate is not the one in http.tls.cert");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a client of the daemon trusts no client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pins.toArray(new X509Certificate[0]);
  }
}
