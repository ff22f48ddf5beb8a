package io.datahose.archiver.officer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Officer rules")
class OfficerTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jane", "jane.doe@bank.example", "ops_team-2", "a"})
  @DisplayName("Letters, digits and . _ @ - make a name")
  void validNames(String name) {
    assertThat(Officer.nameProblem(name)).isNull();
    assertThat(Officer.nameProblem(name.repeat(100).substring(0, 100))).isNull();
  }

  @ParameterizedTest(name = "[{0}]")
  @NullAndEmptySource
  @ValueSource(strings = {"cli:local", "jane doe", "jane\n", "jané", "<script>", "a/b"})
  @DisplayName("Anything else, and the local admin principal's name, is refused with the rule")
  void invalidNames(String name) {
    assertThat(Officer.nameProblem(name)).isEqualTo("must be 1..100 of letters, digits, . _ @ -");
  }

  @Test
  @DisplayName("101 characters is one too many")
  void tooLong() {
    assertThat(Officer.nameProblem("x".repeat(101))).isNotNull();
    assertThat(Officer.nameProblem(LocalAdmin.PRINCIPAL)).isNotNull();
  }

  @Test
  @DisplayName("Three roles, in the order the messages name them")
  void roles() {
    assertThat(Officer.ROLES).containsExactly("officer", "auditor", "admin");
    assertThat(Officer.ROLES_TEXT).isEqualTo("officer, auditor or admin");
  }
}
