package io.datahose.archiver.simulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The session and key-manager tokens currently valid. Thread-safe. */
final class Tokens {

  private final SecureRandom random = new SecureRandom();
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();
  private final Set<String> keyManagers = ConcurrentHashMap.newKeySet();

  String newSession() {
    String token = fresh("s");
    sessions.add(token);
    return token;
  }

  String newKeyManager() {
    String token = fresh("km");
    keyManagers.add(token);
    return token;
  }

  boolean valid(String session, String keyManager) {
    return session != null && keyManager != null && sessions.contains(session) && keyManagers.contains(keyManager);
  }

  void invalidateAll() {
    sessions.clear();
    keyManagers.clear();
  }

  private String fresh(String prefix) {
    byte[] bytes = new byte[24];
    synchronized (random) {
      random.nextBytes(bytes);
    }
    return prefix + "-" + HexFormat.of().formatHex(bytes);
  }
}
