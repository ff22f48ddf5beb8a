package io.datahose.archiver.cli;

import io.datahose.archiver.capture.AuthTokens;
import io.datahose.archiver.capture.SymphonyAuth;
import io.datahose.archiver.capture.SymphonyHttp;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.ConfigException;
import io.datahose.archiver.evidence.ArchiveKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code check --config FILE}: everything the daemon needs before it can capture, as a ✓/✗ checklist
 * with a fix hint per ✗ — the configuration, reaching pod, key manager and Agent, authenticating, and the
 * Agent's ceservice. Exit code 1 on any ✗. Reads nothing from the feed and writes nothing.
 */
@Command(name = "check", description = "Check configuration, connectivity, authentication and Agent health.")
final class CheckCommand implements Callable<Integer> {

  private static final long TIMEOUT_SECONDS = 30;

  @Mixin
  ConfigOption config;

  private final PrintStream out = System.out;
  private int failures;

  @Override
  public Integer call() {
    AppConfig appConfig;
    try {
      appConfig = config.config().requireCredentials();
      pass("configuration " + config.file + " is valid");
    } catch (ConfigException e) {
      fail("configuration: " + e.getMessage(), "fix the key named above; config/datahose-archiver.yaml documents every key");
      return 1;
    }
    archiveKey(appConfig);
    Vertx vertx = Vertx.vertx();
    try {
      AppConfig.Symphony symphony = appConfig.symphony();
      WebClient client = SymphonyHttp.client(vertx, symphony, false);
      reach(client, "pod", symphony.podUrl() + "/login");
      reach(client, "key manager", symphony.keyManagerUrl() + "/relay");
      reach(client, "Agent", symphony.agentUrl() + "/agent/v3/health");
      authenticate(vertx, symphony);
      agentHealth(client, symphony);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
    }
    out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
    return failures == 0 ? 0 : 1;
  }

  /** The archive's signing key: its fingerprint and public key, to publish where a regulator can read them. */
  private void archiveKey(AppConfig appConfig) {
    java.nio.file.Path keyFile = appConfig.evidenceKeyPath();
    if (!java.nio.file.Files.exists(keyFile)) {
      pass("archive key " + keyFile + " will be made at first start (evidence.key unset)");
      return;
    }
    try {
      ArchiveKey key = ArchiveKey.load(keyFile);
      pass("archive key " + keyFile + " (Ed25519), fingerprint " + key.fingerprint() + "; public key:");
      out.print(key.publicKeyPem());
    } catch (RuntimeException e) {
      fail("archive key " + keyFile + ": " + StartupFailure.describe(e),
          "evidence.key must be an Ed25519 PKCS#8 PEM key (openssl genpkey -algorithm ed25519)");
    }
  }

  private void reach(WebClient client, String what, String url) {
    try {
      int status = await(client.getAbs(url).timeout(TIMEOUT_SECONDS * 1000).send()).statusCode();
      pass(what + " reachable at " + url + " (HTTP " + status + ")");
    } catch (RuntimeException e) {
      fail(what + " not reachable at " + url + ": " + StartupFailure.describe(e),
          "check the URL, DNS, proxies and firewall; for a private CA set symphony.trustStore");
    }
  }

  private void authenticate(Vertx vertx, AppConfig.Symphony symphony) {
    try {
      AuthTokens tokens = await(SymphonyAuth.create(vertx, symphony).authenticate());
      pass("authenticated as " + symphony.bot().username()
          + (tokens.keyManagerToken() == null ? "" : " (session and key manager tokens)"));
    } catch (RuntimeException e) {
      fail("authentication as " + symphony.bot().username() + " failed: " + StartupFailure.describe(e),
          "the pod admin must register this bot's public key (or certificate CN = username) on the service account");
    }
  }

  private void agentHealth(WebClient client, AppConfig.Symphony symphony) {
    try {
      JsonObject body = await(client.getAbs(symphony.agentUrl() + "/agent/v3/health/extended")
          .timeout(TIMEOUT_SECONDS * 1000).send()).bodyAsJsonObject();
      JsonObject ceservice = body.getJsonObject("users", new JsonObject()).getJsonObject("ceservice", new JsonObject());
      if ("UP".equals(ceservice.getString("status"))) {
        pass("Agent ceservice is UP (message events can flow)");
      } else {
        fail("Agent ceservice is " + ceservice.getString("status", "missing") + ": "
                + ceservice.getString("message", "no message"),
            "configure the Content Export service account on the Agent (agent.privateKey.ceservice or "
                + "agent.certificate.ceservice); without it message events are not delivered");
      }
    } catch (RuntimeException e) {
      fail("Agent health extended not readable: " + StartupFailure.describe(e), "check symphony.agent.url");
    }
  }

  private void pass(String line) {
    out.println("✓ " + line);
  }

  private void fail(String line, String hint) {
    failures++;
    out.println("✗ " + line);
    out.println("    fix: " + hint);
  }

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
  }
}
