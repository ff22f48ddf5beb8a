package io.datahose.archiver.config;

import java.util.List;

/** The Real-Time Event types Datahose accepts in {@code eventTypes} (symphony-datahose.md §1.3, §2.1). */
public final class EventTypes {

  /** Opt-in: accepted by Datahose since Agent 26.3.1 only. */
  public static final String GENERIC_SYSTEM_EVENT = "GENERICSYSTEMEVENT";

  /** The 16 types of the spec's list: the shipped default. */
  public static final List<String> DEFAULT = List.of(
      "MESSAGESENT", "MESSAGESUPPRESSED", "SYMPHONYELEMENTSACTION", "SHAREDPOST", "INSTANTMESSAGECREATED",
      "ROOMCREATED", "ROOMUPDATED", "ROOMDEACTIVATED", "ROOMREACTIVATED", "USERREQUESTEDTOJOINROOM",
      "USERJOINEDROOM", "USERLEFTROOM", "ROOMMEMBERPROMOTEDTOOWNER", "ROOMMEMBERDEMOTEDFROMOWNER",
      "CONNECTIONREQUESTED", "CONNECTIONACCEPTED");

  /** Every valid value: {@link #DEFAULT} plus {@link #GENERIC_SYSTEM_EVENT}. */
  public static final List<String> ALL = concat();

  /** Valid {@code scopes} values (Agent 25.8+). */
  public static final List<String> SCOPES = List.of("INTERNAL", "EXTERNAL", "FEDERATED");

  private EventTypes() {
  }

  private static List<String> concat() {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(DEFAULT);
    all.add(GENERIC_SYSTEM_EVENT);
    return List.copyOf(all);
  }
}
