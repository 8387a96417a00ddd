import { sql, type Kysely } from 'kysely';

/**
 * Commissions: incremental period runs. A run after new transaction lines recalculates only the
 * participants the new lines reach (their own credit and their managers' roll-up) and takes every
 * other participant's results from an earlier run of the same dates, with the same result hash as a
 * full recalculation.
 *
 * - commission_run.input_batches: the committed import batches whose lines the run saw (a run holds
 *   the store's import lock in share mode, so no batch commits while it reads). A later run's delta
 *   is the committed batches not in that list.
 * - commission_run.input_fingerprint: sha256 of everything else a run reads (participants and their
 *   managers and active dates, plan assignments, plan versions in force, quotas, exchange rates, the
 *   rules of the road in force, the calculation's version). An earlier run is reused only when the
 *   fingerprints are equal.
 * - commission_run.incremental (asked for) and base_run_id (the run whose results were reused; null
 *   for a full recalculation, also when an incremental run found no usable earlier run) and
 *   recalculated (participants calculated).
 * - commission_result.result_sha256: sha256 of the result's canonical JSON. The run hash is sha256
 *   over these digests in (participant, period) order, so an incremental run hashes reused results
 *   without reading them back.
 * - sales_transaction_import_brin: a BRIN index on the lines' batch: the store is insert-only and a
 *   batch's lines are written together, so a page range holds one or two batches; finding a delta's
 *   lines reads those ranges (and the not yet summarised newest ones) instead of the table. Next to
 *   nothing to maintain on import.
 * - realign_scope() is declared PARALLEL SAFE (it only reads a setting, as current_setting does, and
 *   parallel workers receive the leader's settings). Every row-level security policy calls it, and a
 *   query calling a parallel-unsafe function never runs in parallel: a period run's pass over
 *   millions of lines could use one core only.
 * - commission_result's buckets and lines are compressed with lz4 when the server has it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
alter table commission_run
  add column incremental boolean not null default false,
  add column base_run_id uuid references commission_run on delete restrict,
  add column recalculated integer check (recalculated >= 0),
  add column input_fingerprint text check (input_fingerprint ~ '^[0-9a-f]{64}$'),
  add column input_batches uuid[];

alter table commission_result add column result_sha256 text check (result_sha256 ~ '^[0-9a-f]{64}$');

create index sales_transaction_import_brin on sales_transaction using brin (transaction_import_id) with (autosummarize = on);

alter function realign_scope() parallel safe;

-- Results are a few kB of JSON each, just over the size PostgreSQL compresses: lz4 compresses them
-- several times faster than the default pglz, where the server is built with it.
do $$
begin
  alter table commission_result alter column buckets set compression lz4, alter column lines set compression lz4;
exception when feature_not_supported or invalid_parameter_value then
  null;
end $$;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the incremental runs migration cannot be reverted; restore a backup instead');
}
