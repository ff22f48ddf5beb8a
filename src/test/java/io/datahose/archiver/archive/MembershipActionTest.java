package io.datahose.archiver.archive;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("MembershipAction")
class MembershipActionTest {

  @Test
  @DisplayName("membership.action keeps the texts it always had")
  void storedTexts() {
    assertThat(Arrays.stream(MembershipAction.values()).map(MembershipAction::stored))
        .containsExactly("JOINED", "CREATOR", "IM_MEMBER", "PROMOTED", "DEMOTED", "LEFT", "REQUESTED");
  }

  @Test
  @DisplayName("all but LEFT and REQUESTED make a member")
  void makesMember() {
    assertThat(Arrays.stream(MembershipAction.values()).filter(a -> !a.makesMember()))
        .containsExactly(MembershipAction.LEFT, MembershipAction.REQUESTED);
  }

  @Test
  @DisplayName("fromStored reads back every stored text, and nothing else")
  void fromStored() {
    assertThat(MembershipAction.values())
        .allSatisfy(a -> assertThat(MembershipAction.fromStored(a.stored())).isSameAs(a));
    assertThat(MembershipAction.fromStored("joined")).isNull();
    assertThat(MembershipAction.fromStored("ADDED")).isNull();
    assertThat(MembershipAction.fromStored(null)).isNull();
  }
}
