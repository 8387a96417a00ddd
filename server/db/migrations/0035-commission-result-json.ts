import { sql, type Kysely } from 'kysely';

/**
 * commission_result's buckets and lines become json (their text as written) instead of jsonb.
 *
 * The run writes them as the canonical JSON it has already built and hashed (runs.service.ts
 * canonicalOf) and reads them back whole, never into them with jsonb operators: jsonb only cost a
 * conversion each way. The insert of a run's results (json_to_recordset rather than
 * jsonb_to_recordset over each 500-row document) took about 40% less PostgreSQL time for the same
 * rows, measured on PostgreSQL 15 with result-shaped rows (the bench commissions.recalculation's
 * incremental run writes 42k of them while its engine runs, and waited for the database to finish
 * them), and an incremental run's read of the stored buckets no longer prints jsonb back to text.
 * Stored text is now exactly the canonical JSON whose sha256 is result_sha256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
alter table commission_result drop constraint commission_result_buckets_check, drop constraint commission_result_lines_check;
alter table commission_result alter column buckets type json using buckets::json, alter column lines type json using lines::json;
alter table commission_result add constraint commission_result_buckets_check check (json_typeof(buckets) = 'array'),
  add constraint commission_result_lines_check check (json_typeof(lines) = 'array');
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
  throw new Error('the commission result json migration cannot be reverted; restore a backup instead');
}
