package io.datahose.archiver.symphony;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The Real-Time Event types Datahose accepts in {@code eventTypes} (symphony-datahose.md §1.3, §2.1): wire names of
 * {@link EventType}, in its order.
 */
public final class EventTypes {

  /** The 16 types of the spec's list: the shipped default ({@link EventType#inDefault()}). */
  public static final List<String> DEFAULT = wires(EventType::inDefault);

  /** Every valid value: {@link #DEFAULT} plus the opt-in GENERICSYSTEMEVENT. */
  public static final List<String> ALL = wires(type -> true);

  /** Valid {@code scopes} values (Agent 25.8+). */
  public static final List<String> SCOPES = List.of("INTERNAL", "EXTERNAL", "FEDERATED");

  private EventTypes() {
  }

  private static List<String> wires(Predicate<EventType> which) {
    // List.copyOf: null-hostile like List.of (contains(null) throws), as these lists have always been
    return List.copyOf(Arrays.stream(EventType.values()).filter(which).map(EventType::wire).toList());
  }
}
