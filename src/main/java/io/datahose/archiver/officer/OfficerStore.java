package io.datahose.archiver.officer;

import io.datahose.archiver.query.QueryException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static io.datahose.archiver.db.Tables.OFFICER;

/**
 * The {@code officer} table: names, roles and the SHA-256 (hex) of each bearer token; the token itself is never
 * stored. Blocking JDBC: call on a worker thread or from the CLI. Thread-safe.
 */
public final class OfficerStore {

  private static final Object REVOKE_LOCK = new Object();

  private final DSLContext dsl;

  public OfficerStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Adds an officer.
   *
   * @throws QueryException 409 when the name is taken (revoked names stay taken: the access log refers to them)
   */
  public void add(String name, String role, String tokenHash) {
    if (dsl.fetchExists(OFFICER, OFFICER.NAME.eq(name))) {
      throw QueryException.conflict("officer '" + name + "' already exists");
    }
    dsl.insertInto(OFFICER)
        .set(OFFICER.NAME, name)
        .set(OFFICER.ROLE, role)
        .set(OFFICER.TOKEN_HASH, tokenHash)
        .set(OFFICER.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
        .execute();
  }

  /**
   * Gives {@code name} a new token and role, re-activating it: only for the demo's own "demo" officer, whose
   * token must be printed at every start. Adds it when absent.
   */
  public void reissue(String name, String role, String tokenHash) {
    int updated = dsl.update(OFFICER).set(OFFICER.ROLE, role).set(OFFICER.TOKEN_HASH, tokenHash)
        .setNull(OFFICER.REVOKED_AT).where(OFFICER.NAME.eq(name)).execute();
    if (updated == 0) {
      add(name, role, tokenHash);
    }
  }

  /** @return every officer, revoked ones included, by name */
  public List<Officer> list() {
    return dsl.select(OFFICER.NAME, OFFICER.ROLE, OFFICER.CREATED_AT, OFFICER.REVOKED_AT)
        .from(OFFICER).orderBy(OFFICER.NAME)
        .fetch(r -> new Officer(r.value1(), r.value2(), r.value3(), r.value4()));
  }

  /**
   * Revokes an officer's token.
   *
   * @return true when an active officer of that name was revoked now
   * @throws QueryException 409 when it is the last active admin: nobody could administer the daemon afterwards
   */
  public boolean revoke(String name) {
    // one revoke at a time in this process (the only one: H2 holds the archive file exclusively), so two admins
    // revoking each other at once cannot both pass the last-admin check
    synchronized (REVOKE_LOCK) {
      return dsl.transactionResult(cfg -> {
        DSLContext tx = DSL.using(cfg);
        var active = tx.select(OFFICER.ROLE).from(OFFICER)
            .where(OFFICER.NAME.eq(name), OFFICER.REVOKED_AT.isNull()).fetchOptional(OFFICER.ROLE);
        if (active.isEmpty()) {
          return false;
        }
        if (Officer.ROLE_ADMIN.equals(active.get())
            && tx.fetchCount(OFFICER, OFFICER.ROLE.eq(Officer.ROLE_ADMIN), OFFICER.REVOKED_AT.isNull()) <= 1) {
          throw QueryException.conflict("refusing to revoke the last active admin: add another admin first");
        }
        return tx.update(OFFICER)
            .set(OFFICER.REVOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
            .where(OFFICER.NAME.eq(name), OFFICER.REVOKED_AT.isNull())
            .execute() == 1;
      });
    }
  }

  /**
   * @return the officer whose stored hash equals {@code tokenHash} (revoked ones too, the caller decides), with
   *     the stored hash, which the caller compares again in constant time
   */
  public Optional<Officer> byTokenHash(String tokenHash, StringBuilder storedHash) {
    return dsl.select(OFFICER.NAME, OFFICER.ROLE, OFFICER.CREATED_AT, OFFICER.REVOKED_AT, OFFICER.TOKEN_HASH)
        .from(OFFICER).where(OFFICER.TOKEN_HASH.eq(tokenHash))
        .fetchOptional(r -> {
          storedHash.append(r.value5());
          return new Officer(r.value1(), r.value2(), r.value3(), r.value4());
        });
  }
}
