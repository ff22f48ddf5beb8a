package io.datahose.archiver.capture;

import io.datahose.archiver.archive.FeedCursors.Cursor;
import io.datahose.archiver.symphony.FeedIdentity;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Which old feeds are drained (pure)")
class FeedChangesTest {

  private static final FeedIdentity CONFIGURED = new FeedIdentity("t", List.of("MESSAGESENT", "ROOMCREATED"), List.of());

  @Test
  @DisplayName("a feed is its tag, sorted types and sorted scopes: order in the configuration does not matter")
  void identity() {
    assertThat(new FeedIdentity("t", List.of("ROOMCREATED", "MESSAGESENT"), List.of())).isEqualTo(CONFIGURED);
    assertThat(new FeedIdentity("t", List.of("MESSAGESENT"), List.of())).isNotEqualTo(CONFIGURED);
    assertThat(new FeedIdentity("u", CONFIGURED.eventTypes(), List.of())).isNotEqualTo(CONFIGURED);
    assertThat(new FeedIdentity("t", CONFIGURED.eventTypes(), List.of("INTERNAL"))).isNotEqualTo(CONFIGURED);
    FeedIdentity scoped = new FeedIdentity("t", List.of("B", "A"), List.of("INTERNAL", "EXTERNAL"));
    assertThat(FeedIdentity.fromColumns("t", scoped.typesColumn(), scoped.scopesColumn())).isEqualTo(scoped);
    assertThat(scoped.typesColumn()).isEqualTo("A,B");
  }

  @Test
  @DisplayName("every undrained cursor of another feed is drained, on its own slot; the configured feed's never")
  void plan() {
    FeedIdentity otherTypes = new FeedIdentity("t", List.of("MESSAGESENT"), List.of());
    FeedIdentity otherTag = new FeedIdentity("old", CONFIGURED.eventTypes(), List.of());
    FeedIdentity otherScopes = new FeedIdentity("t", CONFIGURED.eventTypes(), List.of("INTERNAL"));
    List<Cursor> cursors = List.of(
        new Cursor(CONFIGURED, 0, "a0", 5, null),
        new Cursor(otherTypes, 0, "b0", 5, null),
        new Cursor(otherTypes, 3, "b3", 5, null),           // a slot beyond today's reader count
        new Cursor(otherTag, 1, "c1", 5, Instant.EPOCH),    // already drained
        new Cursor(otherScopes, 1, "d1", 5, null),
        new Cursor(otherScopes, 2, "", 0, null));           // never committed a batch: nothing to acknowledge
    assertThat(FeedChanges.toDrain(CONFIGURED, cursors)).extracting(Cursor::ackId).containsExactly("b0", "b3", "d1");
    assertThat(FeedChanges.toDrain(CONFIGURED, List.of(new Cursor(CONFIGURED, 0, "a", 1, Instant.EPOCH)))).isEmpty();
  }
}
