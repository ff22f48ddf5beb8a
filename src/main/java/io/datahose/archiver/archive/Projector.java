package io.datahose.archiver.archive;

/**
 * Projects one event type into its tables. Implementations throw (any RuntimeException) when the payload does
 * not fit; the caller then rolls back the event's savepoint and keeps the event raw-only with the reason.
 * Blocking (JDBC); called on the storing worker thread inside the batch transaction.
 */
@FunctionalInterface
interface Projector {

  void project(ProjectionContext ctx);
}
