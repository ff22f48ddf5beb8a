package io.datahose.archiver.archive;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.TableField;
import org.jooq.TableRecord;

import java.util.Locale;

/**
 * The column rules the database would enforce at the flush (VARCHAR sizes, NOT NULL), checked in Java while the
 * event is projected, so a value that does not fit turns that one event raw-only instead of failing the whole
 * batch's transaction. Pure and thread-safe.
 */
final class RowChecks {

  private RowChecks() {
  }

  /** Throws when a value of {@code row} does not fit its column. */
  static void check(TableRecord<?> row) {
    Field<?>[] fields = row.fields();
    for (int i = 0; i < fields.length; i++) {
      Field<?> field = fields[i];
      Object value = row.get(i);
      if (value == null) {
        if (!field.getDataType().nullable() && !field.getDataType().identity() && !field.getDataType().defaulted()) {
          throw new IllegalArgumentException(name(row, field) + ": value missing");
        }
      } else if (value instanceof String text) {
        checkLength(row, field, text.length());
      } else if (value instanceof byte[] bytes) {
        checkLength(row, field, bytes.length);
      }
    }
  }

  /**
   * Throws when {@code value} is longer than {@code field}'s VARCHAR size.
   *
   * @return value
   */
  static String length(TableField<?, String> field, String value) {
    int max = field.getDataType().length();
    if (value != null && max > 0 && value.length() > max) {
      throw new IllegalArgumentException(qualified(field) + ": value too long (" + value.length() + " > " + max
          + " characters)");
    }
    return value;
  }

  private static void checkLength(Record row, Field<?> field, int length) {
    int max = field.getDataType().length();
    if (max > 0 && length > max && field.getDataType().hasLength()) {
      throw new IllegalArgumentException(name(row, field) + ": value too long (" + length + " > " + max + ")");
    }
  }

  private static String name(Record row, Field<?> field) {
    String table = row instanceof TableRecord<?> t ? t.getTable().getName() + "." : "";
    return (table + field.getName()).toLowerCase(Locale.ROOT);
  }

  private static String qualified(TableField<?, ?> field) {
    return (field.getTable().getName() + "." + field.getName()).toLowerCase(Locale.ROOT);
  }
}
