package io.datahose.archiver.cli;

import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.officer.LocalAdmin;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * How a CLI command reaches the running daemon: over the {@link LocalAdmin local admin channel}, whose loopback URL
 * and token the daemon published in {@code <database.path>.admin-token} (readable by the service user only). A
 * daemon runs when it holds the H2 archive file's lock; then {@link #ifRunning} requires that file, and every
 * command acts through the daemon's query API instead of opening the file (which H2 would refuse). A PostgreSQL
 * archive has no such lock: commands open the database directly, except those that need this host's daemon
 * ({@link #ifAnswering}). With {@code http.tls} set the channel is HTTPS, and the only certificate trusted is the one
 * in {@code http.tls.cert} (pinned, so the loopback address need not be in it). An error answer of the API is thrown
 * as the {@link QueryException} it was (status, error, detail); a daemon that does not answer, or refuses the token,
 * is a {@link CommandFailure}. Why loopback HTTP and not a Unix domain socket: see {@link LocalAdmin}. Blocking; one
 * per command.
 */
final class DaemonClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final String baseUrl;
  private final String token;
  private final Path tokenFile;
  private final HttpClient client;

  private DaemonClient(String baseUrl, String token, Path tokenFile, AppConfig.Http http) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.tokenFile = tokenFile;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1);
    if (http.tls()) {
      builder.sslContext(PinnedTls.context(http.tlsCert()));
    }
    this.client = builder.build();
  }

  /**
   * @return the running daemon's channel when the daemon holds this configuration's H2 archive file; empty when
   *     it does not, or the archive is PostgreSQL (no file lock tells)
   * @throws CommandFailure when the daemon runs but its token file is missing or unreadable by this user
   */
  static Optional<DaemonClient> ifRunning(AppConfig config) {
    if (config.database().postgresql() || !held(archiveFile(config))) {
      return Optional.empty();
    }
    Path file = LocalAdmin.file(config.database());
    try {
      LocalAdmin.Address address = LocalAdmin.read(file);
      return Optional.of(new DaemonClient(address.url(), address.token(), file, config.http()));
    } catch (IOException e) {
      throw new CommandFailure("the archive " + archiveFile(config) + " is in use (the daemon runs, or another "
          + "command holds it) and the daemon's admin token file " + file + " cannot be read (" + e.getMessage()
          + "): run this as the daemon's service user, or again once the daemon has started or the other command "
          + "has ended");
    }
  }

  /**
   * @return the channel of a daemon of this configuration on this host that answers (its token file is there and
   *     its {@code /health} answers), else empty: for a PostgreSQL archive, whose daemon no file lock reveals
   */
  static Optional<DaemonClient> ifAnswering(AppConfig config) {
    Path file = LocalAdmin.file(config.database());
    try {
      LocalAdmin.Address address = LocalAdmin.read(file);
      DaemonClient client = new DaemonClient(address.url(), address.token(), file, config.http());
      client.send("GET", "/health", Map.of(), Duration.ofSeconds(10));
      return Optional.of(client);
    } catch (IOException | CommandFailure e) {
      return Optional.empty(); // none, or a killed daemon's leftover
    }
  }

  /** @return a client of the daemon at {@code baseUrl} presenting {@code token} (null: none), for {@code status} */
  static DaemonClient at(String baseUrl, String token, AppConfig.Http http) {
    return new DaemonClient(baseUrl, token, null, http);
  }

  /** @return the H2 archive file of {@code config}: {@code <database.path>.mv.db} */
  static Path archiveFile(AppConfig config) {
    Path db = config.database().path();
    return db.resolveSibling(db.getFileName() + ".mv.db");
  }

  /** @return whether a process (the daemon, or another command) holds {@code file}'s lock */
  static boolean held(Path file) {
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
         FileLock lock = channel.tryLock()) {
      return lock == null;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false; // not ours to open: opening the archive will say why
    }
  }

  /** @return the answer's JSON; see the class comment for failures */
  JsonObject get(String path, Map<String, String> params) {
    return json(path, "GET", params);
  }

  JsonObject post(String path, Map<String, String> params) {
    return json(path, "POST", params);
  }

  JsonObject delete(String path, Map<String, String> params) {
    return json(path, "DELETE", params);
  }

  /** @return the body of a 200 answer to {@code GET path}, as it streams in (the caller closes it) */
  InputStream download(String path, Map<String, String> params) {
    HttpResponse<InputStream> response = exchange("GET", path, params, null,
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      try (InputStream body = response.body()) {
        throw refusal(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw unreachable(e);
      }
    }
    return response.body();
  }

  /** @return the raw answer of {@code method path}, whatever its status (for {@code status}, which shows it) */
  HttpResponse<String> send(String method, String path, Map<String, String> params, Duration timeout) {
    return exchange(method, path, params, timeout, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonObject json(String path, String method, Map<String, String> params) {
    HttpResponse<String> response = send(method, path, params, null);
    if (response.statusCode() / 100 != 2) {
      throw refusal(response.statusCode(), response.body());
    }
    try {
      return new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new CommandFailure("the daemon's answer to " + method + " " + path + " is not JSON: " + e.getMessage());
    }
  }

  private <T> HttpResponse<T> exchange(String method, String path, Map<String, String> params, Duration timeout,
                                       HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path + query(params)))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (timeout != null) {
      request.timeout(timeout); // else none: a backup or verify of a large archive answers after minutes
    }
    try {
      return client.send(request.build(), handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure(1, "interrupted while waiting for the daemon", e);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private RuntimeException refusal(int status, String body) {
    String error = "http_" + status;
    String detail = body;
    try {
      JsonObject json = new JsonObject(body);
      error = json.getString("error", error);
      detail = json.getString("detail", body);
    } catch (DecodeException | ClassCastException e) {
      // not the API's JSON error: the body as it came
    }
    if (status == 401 && tokenFile != null) {
      return new CommandFailure("the daemon refused the token in " + tokenFile + " (401): the file is not the one "
          + "the running daemon wrote");
    }
    return new QueryException(status, error, detail);
  }

  private CommandFailure unreachable(IOException e) {
    return new CommandFailure(1, "the daemon holds the archive but " + baseUrl + " did not answer: "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
  }

  private static String query(Map<String, String> params) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((name, value) -> {
      if (value != null) {
        query.add(encode(name) + "=" + encode(value));
      }
    });
    return query.toString();
  }

  /** @return {@code value} percent-encoded for a query parameter or a path segment (a space as %20, never '+') */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
