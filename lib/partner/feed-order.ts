/**
 * E-20 / I-INT-1: the partner feed's positions in **commit** order.
 *
 * An application event's `id` comes from a sequence when the row is inserted, so two transactions can commit in
 * the other order than their ids: with the id as the cursor, a partner that read id 11 would never see id 10 if
 * id 10's transaction committed afterwards. So events are written without a position (`feed_seq` null) and
 * numbered here, after they committed: one numbering at a time (a transaction-scoped advisory lock, which never
 * waits for the writers), each one above every position already given. A reader numbers what has committed,
 * then reads: a position it serves is never followed later by a smaller one. Works the same on PostgreSQL and
 * PGlite (plain SQL, no snapshot functions, no reliance on the cluster's oldest transaction).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';

/** The advisory lock key of the numbering (an arbitrary constant: 'feedseq' in ASCII). */
export const FEED_SEQ_LOCK = 0x66656564736571;

/** Numbers the committed events that have no feed position yet, in id order; returns how many. */
export async function sequenceFeedEvents(db: DbOrTx): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FEED_SEQ_LOCK}::bigint)`);
    // A new statement, so its snapshot sees every numbering committed before the lock was granted.
    const rows = await tx.execute(sql`
      with base as (select coalesce(max(feed_seq), 0) as top from application_events),
           todo as (select id, row_number() over (order by id) as n from application_events where feed_seq is null)
      update application_events e set feed_seq = base.top + todo.n
      from todo, base
      where e.id = todo.id
      returning e.id`);
    return rows.length;
  });
}
