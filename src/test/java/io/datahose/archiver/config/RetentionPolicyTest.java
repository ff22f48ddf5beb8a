package io.datahose.archiver.config;

import io.datahose.archiver.config.RetentionPolicy.Period;
import io.datahose.archiver.retention.DisposalPlan.Candidate;
import io.datahose.archiver.retention.DisposalPlan.Decision;
import io.datahose.archiver.retention.DisposalPlan;
import io.datahose.archiver.retention.LegalHoldStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Retention policy and disposal decisions (pure)")
class RetentionPolicyTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private static Period p(String text) {
    return Period.parse(text).orElseThrow();
  }

  @Test
  @DisplayName("periods: years are calendar years, 0 keeps forever, anything else is refused")
  void periods() {
    assertThat(p("7y").cutoff(NOW)).isEqualTo(Instant.parse("2019-12-01T12:00:00Z"));
    assertThat(p("90d").cutoff(NOW)).isEqualTo(NOW.minus(Duration.ofDays(90)));
    assertThat(p("12h").cutoff(NOW)).isEqualTo(NOW.minus(Duration.ofHours(12)));
    assertThat(p("0").forever()).isTrue();
    assertThat(p("0d").forever()).isTrue();
    assertThat(p("0").cutoff(NOW)).isNull();
    assertThat(Period.parse("7 years")).isEmpty();
    assertThat(Period.parse("-1y")).isEmpty();
    assertThat(Period.parse("")).isEmpty();
    // leap day: 2024-02-29 minus 1y is 2023-02-28, never a day early
    assertThat(p("1y").cutoff(Instant.parse("2024-02-29T00:00:00Z"))).isEqualTo(Instant.parse("2023-02-28T00:00:00Z"));
  }

  @Test
  @DisplayName("the type override, the stream-type override, the longer of both, forever wins, else the default")
  void table() {
    RetentionPolicy policy = new RetentionPolicy(p("7y"),
        Map.of("CONNECTIONREQUESTED", p("1y"), "MESSAGESENT", p("10y"), "USERJOINEDROOM", p("0")),
        Map.of("IM", p("5y"), "POST", p("2y")));
    assertThat(policy.periodOf("ROOMCREATED", null)).isEqualTo(p("7y"));
    assertThat(policy.periodOf("ROOMCREATED", "ROOM")).as("no rule for ROOM").isEqualTo(p("7y"));
    assertThat(policy.periodOf("CONNECTIONREQUESTED", null)).isEqualTo(p("1y"));
    assertThat(policy.periodOf("SHAREDPOST", "POST")).isEqualTo(p("2y"));
    assertThat(policy.periodOf("MESSAGESENT", "IM")).as("type 10y vs IM 5y: the longer").isEqualTo(p("10y"));
    assertThat(policy.periodOf("CONNECTIONREQUESTED", "IM")).as("type 1y vs IM 5y: the longer").isEqualTo(p("5y"));
    assertThat(policy.periodOf("USERJOINEDROOM", "IM").forever()).isTrue();
    assertThat(policy.keepsEverything()).isFalse();
    assertThat(RetentionPolicy.forever().keepsEverything()).isTrue();
    assertThat(policy.expired("ROOMCREATED", null, Instant.parse("2019-11-30T00:00:00Z"), NOW)).isTrue();
    assertThat(policy.expired("ROOMCREATED", null, Instant.parse("2019-12-02T00:00:00Z"), NOW)).isFalse();
    assertThat(policy.expired("USERJOINEDROOM", null, Instant.EPOCH, NOW)).isFalse();
  }

  @Test
  @DisplayName("a hold keeps what it covers (stream, user, everything; in its time range; only while in force)")
  void holds() {
    RetentionPolicy policy = new RetentionPolicy(p("1y"), Map.of(), Map.of());
    Instant old = Instant.parse("2020-06-01T00:00:00Z");
    Candidate inS1 = new Candidate(1, "MESSAGESENT", "ROOM", "s1", 7L, old, old);
    Candidate inS2ByUser9 = new Candidate(2, "MESSAGESENT", "ROOM", "s2", 9L, old, old);
    Candidate recent = new Candidate(3, "MESSAGESENT", "ROOM", "s2", 7L, NOW.minusSeconds(60), NOW.minusSeconds(60));
    Candidate lateArrival = new Candidate(4, "MESSAGESENT", "ROOM", "s2", 7L, old, NOW.minusSeconds(60));
    LegalHoldStore.Hold onS1 = hold(List.of("s1"), List.of(), null, null, null);
    LegalHoldStore.Hold onUser9 = hold(List.of(), List.of(9L), null, null, null);
    LegalHoldStore.Hold everything2021 = hold(List.of(), List.of(), Instant.parse("2021-01-01T00:00:00Z"), null, null);
    LegalHoldStore.Hold released = hold(List.of("s1"), List.of(), null, null, NOW.minusSeconds(5));

    assertThat(DisplayDecisions.of(policy, List.of(), inS1, inS2ByUser9, recent, lateArrival))
        .containsExactly(Decision.DISPOSE, Decision.DISPOSE, Decision.KEEP, Decision.KEEP);
    assertThat(DisplayDecisions.of(policy, List.of(onS1), inS1, inS2ByUser9))
        .containsExactly(Decision.HELD, Decision.DISPOSE);
    assertThat(DisplayDecisions.of(policy, List.of(onUser9), inS1, inS2ByUser9))
        .containsExactly(Decision.DISPOSE, Decision.HELD);
    assertThat(DisplayDecisions.of(policy, List.of(everything2021), inS1)).as("2020 is before the hold's range")
        .containsExactly(Decision.DISPOSE);
    assertThat(DisplayDecisions.of(policy, List.of(hold(List.of(), List.of(), null, null, null)), inS1, inS2ByUser9))
        .containsExactly(Decision.HELD, Decision.HELD);
    assertThat(DisplayDecisions.of(policy, List.of(released), inS1)).containsExactly(Decision.DISPOSE);
  }

  private static LegalHoldStore.Hold hold(List<String> streams, List<Long> users, Instant from, Instant to,
                                      Instant releasedAt) {
    return new LegalHoldStore.Hold("h", "matter 1", "admin", NOW.minusSeconds(3600), from, to, streams, users, releasedAt,
        releasedAt == null ? null : "admin", releasedAt == null ? null : "closed");
  }

  private static final class DisplayDecisions {
    static List<Decision> of(RetentionPolicy policy, List<LegalHoldStore.Hold> holds, Candidate... candidates) {
      return java.util.Arrays.stream(candidates).map(c -> DisposalPlan.decide(c, policy, holds, NOW)).toList();
    }
  }
}
