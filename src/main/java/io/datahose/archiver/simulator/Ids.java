package io.datahose.archiver.simulator;

import java.util.Random;
import java.util.UUID;

/** Symphony-looking identifiers drawn from a seeded {@link Random}. Pure apart from the given random. */
final class Ids {

  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String URLSAFE = ALNUM + "-_";

  private Ids() {
  }

  /** @return a 6-character event id such as {@code 9rc1dr} */
  static String eventId(Random random) {
    return pick(random, ALNUM, 6);
  }

  /** @return a message/stream id such as {@code Fd4Pc8xO5Vg6hVfzabFe2X___oyM1eXobQ} */
  static String streamOrMessageId(Random random) {
    return pick(random, URLSAFE, 22) + "___" + pick(random, ALNUM, 9);
  }

  static String token(Random random, int length) {
    return pick(random, ALNUM, length);
  }

  static String uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private static String pick(Random random, String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
