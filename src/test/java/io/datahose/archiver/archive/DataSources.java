package io.datahose.archiver.archive;

import javax.sql.DataSource;

/**
 * The archive's raw JDBC data source, for benchmarks and tests only (the plain-JDBC baseline, a probe of H2's
 * settings): the product goes through {@link ArchiveDatabase#dsl()}.
 */
public final class DataSources {

  private DataSources() {
  }

  public static DataSource of(ArchiveDatabase db) {
    return db.dataSource();
  }
}
