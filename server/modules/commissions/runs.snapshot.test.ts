import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/harness.ts';
import { runsFixture, type RunsFixture } from './runs.test-support.ts';

/**
 * A period run calculates from one snapshot (REPEATABLE READ, migration 0037): a quota changed while
 * the run is under way is neither in its results nor in the input fingerprint it stores. The change
 * is committed from inside the run's first progress report (a trigger on the progress table), after
 * the run has read its plans and quotas and before it fingerprints its inputs, which is where a READ
 * COMMITTED run stored the new quota's fingerprint with the old quota's results.
 */

let fixture: RunsFixture;
let t: TestApp;

beforeAll(async () => {
  fixture = await runsFixture();
  t = fixture.t;
}, 120_000);

afterAll(async () => {
  await t?.app.close();
  await t?.close();
});

type Stored = { inputFingerprint: string | null; resultHash: string | null; status: string };

async function stored(runId: string): Promise<Stored> {
  const r = await sql<Stored>`select input_fingerprint, result_hash, status from commission_run where commission_run_id = ${runId}::uuid`.execute(t.deps.db);
  const row = r.rows[0];
  if (!row) throw new Error(`run ${runId} not found`);
  return row;
}

describe('a period run reads one snapshot', () => {
  it('keeps a quota changed during the run out of both its results and its input fingerprint', async () => {
    // The test connects as the database owner: it may add a trigger the app's role could not.
    // A function body takes no bound parameters: the participant is read from the probe's row.
    await sql`create table snapshot_probe (fired boolean not null, participant_id uuid not null)`.execute(t.deps.db);
    await sql`insert into snapshot_probe values (false, ${fixture.P.a}::uuid)`.execute(t.deps.db);
    await sql`create function snapshot_probe_change_quota() returns trigger language plpgsql security definer as $f$
      begin
        if new.total > 0 and exists (select 1 from snapshot_probe where not fired) then
          update comp_quota set amount_minor = amount_minor * 2
            where comp_participant_id = (select participant_id from snapshot_probe) and period_start = '2027-01-01';
          update snapshot_probe set fired = true;
        end if;
        return new;
      end $f$`.execute(t.deps.db);
    await sql`create trigger snapshot_probe after insert or update on commission_run_progress
      for each row execute function snapshot_probe_change_quota()`.execute(t.deps.db);
    let during: Stored;
    try {
      const run = await fixture.completedRun('2027-01-01', '2027-04-01');
      expect(run.status).toBe('completed');
      during = await stored(run.id);
      expect((await sql<{ fired: boolean }>`select fired from snapshot_probe`.execute(t.deps.db)).rows[0]?.fired).toBe(true);
    } finally {
      await sql`drop trigger snapshot_probe on commission_run_progress`.execute(t.deps.db);
      await sql`drop function snapshot_probe_change_quota()`.execute(t.deps.db);
      await sql`drop table snapshot_probe`.execute(t.deps.db);
    }
    // A run after the change sees the doubled quota: different results, so different inputs.
    const after = await stored((await fixture.completedRun('2027-01-01', '2027-04-01')).id);
    expect(after.resultHash).not.toBe(during.resultHash);
    expect(after.inputFingerprint).not.toBe(during.inputFingerprint);
    // Put back, a run sees what the first one saw: the same inputs and the same results.
    await sql`update comp_quota set amount_minor = amount_minor / 2 where comp_participant_id = ${fixture.P.a}::uuid and period_start = '2027-01-01'`.execute(
      t.deps.db,
    );
    const again = await stored((await fixture.completedRun('2027-01-01', '2027-04-01')).id);
    expect(again).toEqual({ ...during, status: 'completed' });
  });
});
