package io.datahose.archiver.officer;

import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.PrivateFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The local admin channel: how the CLI on the daemon's host acts through the running daemon (H2 holds the archive
 * file, so the CLI cannot open it while capture runs). At start the daemon makes a fresh random token, keeps it in
 * memory only and {@link #publish publishes} it, with the base URL of its loopback listener, in
 * {@code <database.path>.admin-token} (0600, in the state directory: readable by the service user only); it
 * {@link #withdraw withdraws} the file when it stops. The query API accepts the token as the built-in principal
 * {@value #PRINCIPAL}, which passes every role check (it stands for whoever can read the archive's state
 * directory, who could as well stop the daemon and open the file) and is access-logged like any officer. Its name
 * cannot be an officer's (a ':' is not allowed in one).
 * <p>
 * Why loopback HTTP with a token file rather than a Unix domain socket: the socket would need Vert.x's native
 * (epoll) transport for the server, a dependency and a platform the daemon does not otherwise need; over HTTP the
 * CLI uses the existing routes unchanged — authentication, the access log, parameter checks and TLS (when
 * {@code http.tls} is set) are the very same code path as for officers. The file's 0600 mode does what the socket's
 * owner check would do. Immutable; thread-safe.
 */
public final class LocalAdmin {

  /** The principal's name in the access log. */
  public static final String PRINCIPAL = "cli:local";

  private final String token;
  private final String tokenHash;
  private final Officer officer;

  private LocalAdmin(String token) {
    this.token = token;
    this.tokenHash = OfficerTokens.hash(token);
    this.officer = new Officer(PRINCIPAL, Officer.ROLE_ADMIN, OffsetDateTime.now(ZoneOffset.UTC), null);
  }

  /** @return a channel with a fresh random token (32 bytes from {@link java.security.SecureRandom}) */
  public static LocalAdmin create() {
    return new LocalAdmin(OfficerTokens.generate());
  }

  /** @return where the daemon of {@code database} publishes its channel: {@code <database.path>.admin-token} */
  public static Path file(AppConfig.Database database) {
    Path db = database.path();
    return db.resolveSibling(db.getFileName() + ".admin-token");
  }

  /**
   * Writes {@code {"url": baseUrl, "token": …, "pid": …}} to {@code file} (0600, replaced atomically). Blocking.
   *
   * @throws java.io.UncheckedIOException when it cannot be written
   */
  public void publish(Path file, String baseUrl) {
    JsonObject json = new JsonObject().put("url", baseUrl).put("token", token)
        .put("pid", ProcessHandle.current().pid());
    PrivateFiles.write(file, (json.encode() + "\n").getBytes(StandardCharsets.UTF_8), false);
  }

  /** Deletes {@code file} if it is there (a stop, or a leftover of a daemon that was killed); never throws. */
  public static void withdraw(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover token is dead: the next start replaces it, and the CLI only trusts it while the daemon runs
    }
  }

  /** What a published file says: the daemon's loopback base URL and its token. */
  public record Address(String url, String token) {
  }

  /**
   * Reads a file {@link #publish} wrote.
   *
   * @throws IOException when it is missing, unreadable or not such a file
   */
  public static Address read(Path file) throws IOException {
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      String url = json.getString("url");
      String token = json.getString("token");
      if (url == null || token == null) {
        throw new IOException(file + " names no url and token");
      }
      return new Address(url, token);
    } catch (DecodeException | ClassCastException e) {
      throw new IOException(file + " is not an admin token file: " + e.getMessage(), e);
    }
  }

  /** @return whether {@code presented} is this channel's token, compared in constant time (as hashes) */
  boolean accepts(String presented) {
    return OfficerTokens.sameHash(tokenHash, OfficerTokens.hash(presented));
  }

  /** @return whether {@code o} is this channel's principal (the very instance {@link #officer} hands out) */
  boolean isPrincipal(Officer o) {
    return o == officer;
  }

  /** @return the principal, role admin, as the routes and the access log see it */
  Officer officer() {
    return officer;
  }
}
