package io.datahose.archiver.archive;

/**
 * Projects one event type: reads the event and the batch view through {@link ProjectionContext#changes()} and
 * records the rows it adds or changes there. Pure: no SQL. Implementations throw (any RuntimeException) when the
 * payload does not fit; the event's changes are then dropped and it stays raw-only with the reason.
 */
@FunctionalInterface
interface Projector {

  void project(ProjectionContext ctx);
}
