package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.ConversationQueries.Person;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users by id for the export writers, read through a bounded cache (an export touches the same few senders again
 * and again; the bound keeps memory constant on a pod with many users). Not thread-safe: one per export.
 */
final class People {

  private static final int MAX = 10_000;

  private final ConversationQueries queries;
  private final Map<Long, Person> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Person> eldest) {
      return size() > MAX;
    }
  };

  People(ConversationQueries queries) {
    this.queries = queries;
  }

  /** Loads the users not cached yet with one query. */
  void prefetch(Collection<Long> ids) {
    List<Long> missing = ids.stream().filter(id -> id != null && !cache.containsKey(id)).distinct().toList();
    if (!missing.isEmpty()) {
      Map<Long, Person> found = queries.users(missing);
      for (Long id : missing) {
        cache.put(id, found.getOrDefault(id, new Person(id, null, null, null)));
      }
    }
  }

  /** @return the user, or a bare one when the archive never saw their identity; null for a null id */
  Person get(Long id) {
    if (id == null) {
      return null;
    }
    Person p = cache.get(id);
    if (p == null) {
      prefetch(List.of(id));
      p = cache.get(id);
    }
    return p;
  }

  /** @return the login name of §2.5: email, else username, else the user id */
  String login(Long id) {
    Person p = get(id);
    if (p == null) {
      return "";
    }
    return p.email() != null ? p.email() : p.username() != null ? p.username() : String.valueOf(p.userId());
  }

  /** @return the display name, else username, else the user id */
  String name(Long id) {
    Person p = get(id);
    if (p == null) {
      return "";
    }
    return p.displayName() != null ? p.displayName() : p.username() != null ? p.username() : String.valueOf(id);
  }
}
