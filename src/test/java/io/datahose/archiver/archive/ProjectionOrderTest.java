package io.datahose.archiver.archive;

import io.datahose.archiver.simulator.EventGenerator;
import io.datahose.archiver.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;

import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Datahose has no ordering guarantee and redelivers late: the projection tables must not depend on the order events
 * arrive in, nor on how they are split into batches, nor on redeliveries. Property test: the same events (a realistic
 * mix of all 17 types, with users renamed and rooms renamed at different times so that order matters), shuffled and
 * split into random batches with random redeliveries, give identical projection tables for every seed. Seqs differ
 * between runs, so every seq column is compared as the identity of the event it names; surrogate ids (membership,
 * user_identity), field_versions (bookkeeping holding seqs) and projection notes (they say which copy came second)
 * are left out.
 */
@DisplayName("Projections: any arrival order and batching of the same events gives the same tables")
class ProjectionOrderTest {

  private static final int EVENTS = 400;
  private static final List<JsonObject> EVENTS_IN_ORDER = events();
  private static final Map<String, List<String>> REFERENCE = tables(EVENTS_IN_ORDER, null);

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 25);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @DisplayName("a shuffled, re-batched delivery with redeliveries equals delivery in causal order")
  void permutationInvariant(long seed) {
    Random random = new Random(seed);
    List<JsonObject> shuffled = new ArrayList<>(EVENTS_IN_ORDER);
    Collections.shuffle(shuffled, random);
    Map<String, List<String>> actual = tables(shuffled, random);
    assertThat(ProjectionSnapshot.difference(REFERENCE, actual)).as("seed " + seed).isEmpty();
    assertThat(actual).isEqualTo(REFERENCE);
  }

  /** Generated events with distinct event times; some users and rooms renamed so that the latest name matters. */
  private static List<JsonObject> events() {
    List<JsonObject> events = new EventGenerator(42).next(EVENTS);
    Random random = new Random(7);
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.get(i);
      long at = 1_767_225_600_000L + i * 1_000L;
      event.put("timestamp", at);
      JsonObject initiator = event.getJsonObject("initiator");
      JsonObject user = initiator == null ? null : initiator.getJsonObject("user");
      if (user != null && random.nextInt(4) == 0) {
        user.put("displayName", "renamed at " + at);
        if (random.nextBoolean()) {
          user.remove("email"); // a partial copy: the known email must survive whatever the order
        }
      }
      if ("ROOMUPDATED".equals(event.getString("type"))) {
        event.getJsonObject("payload").getJsonObject("roomUpdated").getJsonObject("newRoomProperties")
            .put("name", "room renamed at " + at);
      }
    }
    return events;
  }

  /**
   * Stores {@code events} (in random batches with random redeliveries when {@code random} is set, else one batch)
   * and returns every projection table as sorted row texts.
   */
  private static Map<String, List<String>> tables(List<JsonObject> events, Random random) {
    try (ArchiveDatabase db = TestDatabases.fresh("order-" + UUID.randomUUID())) {
      Archive archive = new Archive(db);
      int batches = 0;
      for (int from = 0; from < events.size(); ) {
        int size = random == null ? events.size() : 1 + random.nextInt(60);
        List<JsonObject> batch = new ArrayList<>(events.subList(from, Math.min(events.size(), from + size)));
        if (random != null && from > 0 && random.nextInt(3) == 0) {
          batch.add(events.get(random.nextInt(from))); // a late redelivery of something already archived
        }
        archive.storeJson("tag", 0, batch, "ack-" + batches++);
        from += size;
      }
      DSLContext sql = db.dsl();
      assertThat(sql.fetchCount(EVENT)).isEqualTo(events.size());
      return ProjectionSnapshot.of(sql);
    }
  }
}
