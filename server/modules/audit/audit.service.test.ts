import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../actor.ts';
import { runCli } from '../../cli/spawn-cli.ts';
import { inTransaction } from '../../deps.ts';
import { createPartner, updatePartner } from '../partners/partners.service.ts';
import { makePartner, makeUser } from '../../test/harness.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import { recordAudit, verifyAuditChain } from './audit.service.ts';
import { canonicalJson, canonicalJsonBeforeSeq, entryHash } from './audit.rules.ts';

let t: TestDeps;
beforeAll(async () => {
  t = await createTestDeps();
});
afterAll(async () => t.close());

async function asOwner<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(t.database.connection);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function seqs(): Promise<number[]> {
  return (await asOwner((c) => c.query<{ seq: string }>('select seq::text as seq from audit_entry order by audit_entry.seq'))).rows.map((r) => Number(r.seq));
}

/**
 * A transaction that records an entry (entity 'a') and stays open until `release` is called; resolves
 * once the entry is recorded. `immediate` makes the append run at once instead of at COMMIT.
 */
async function heldOpenWithEntry(
  actor: ReturnType<typeof systemActor>,
  action: string,
  o: { immediate?: boolean } = {},
): Promise<{ done: Promise<void>; release: () => void }> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let recorded: () => void = () => undefined;
  const isRecorded = new Promise<void>((resolve) => (recorded = resolve));
  const done = inTransaction(t.deps, actor, async (trx) => {
    if (o.immediate) await sql`set constraints audit_pending_append immediate`.execute(trx);
    await recordAudit(trx, t.deps, actor, { action, entityType: 'test', entityId: 'a' });
    recorded();
    await held;
  });
  await Promise.race([isRecorded, done]);
  return { done, release };
}

describe('the audit hash chain', () => {
  it('stays gapless and verifies after many mutations, 20 of them racing in parallel transactions', async () => {
    const actor = systemActor('audit-test');
    const p = await makePartner(t.deps);
    for (let i = 0; i < 5; i++) await updatePartner(t.deps, actor, p.id, { tier: `tier-${i}` });
    await makeUser(t.deps, { roles: ['auditor'] });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createPartner(t.deps, actor, { name: `Parallel ${i}`, legalName: null, tier: 'silver', status: 'active', website: null, country: 'FR' }),
      ),
    );
    const all = await seqs();
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(all.length).toBe(1 + 5 + 1 + 20);
    const head = await asOwner((c) => c.query<{ seq: string }>('select seq::text from audit_chain_head'));
    expect(Number(head.rows[0]?.seq)).toBe(all.length);
    const progress: number[] = [];
    const result = await verifyAuditChain(t.deps, systemActor('audit-test'), (done) => progress.push(done));
    expect(result).toEqual({ ok: true, entries: all.length, firstBrokenSeq: null, problem: null });
    expect(progress.at(-1)).toBe(all.length);
  });

  it('the database hashes each entry exactly as the verifier does, whatever the text holds', async () => {
    // The append statement computes the hash (sha256 over UTF-8) from the canonical JSON the
    // application gives; the verifier recomputes it in JavaScript. Non-ASCII, escapes and quotes
    // must come out the same on both sides, and the stored hash must be entryHash's.
    const actor = systemActor('audit-test');
    const p = await createPartner(t.deps, actor, {
      name: 'Zürich – 東京 "Ω" \\ tab\there 😀',
      legalName: 'Ünïcødé\nLegal',
      tier: 'silver',
      status: 'active',
      website: null,
      country: 'CH',
    });
    await updatePartner(t.deps, actor, p.id, { tier: 'gold' });
    const rows = await asOwner((c) => c.query('select * from audit_entry order by seq desc limit 2'));
    for (const row of rows.rows) {
      const fields = {
        seq: Number(row.seq),
        at: new Date(row.at).toISOString(),
        actorUserId: row.actor_user_id,
        actorLabel: row.actor_label,
        partnerId: row.partner_id,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        before: row.before,
        after: row.after,
        requestId: row.request_id,
      };
      expect(row.hash).toBe(entryHash(row.prev_hash, fields));
      const { seq, ...rest } = fields;
      expect(`${canonicalJsonBeforeSeq(rest)}${seq}}`).toBe(canonicalJson(fields));
    }
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('appends at COMMIT: an open transaction that recorded an entry does not hold the chain head, and both entries chain in commit order', async () => {
    const actor = systemActor('audit-test');
    const headBefore = (await seqs()).length;
    // A records its entry and stays open until B is done.
    const { done: a, release } = await heldOpenWithEntry(actor, 'test.open');
    // Inside A, before its commit, the entry is not in the chain yet.
    expect((await seqs()).length).toBe(headBefore);
    // B appends and commits while A is open; a lock wait on the head would fail it after lock_timeout rather than hang.
    await inTransaction(t.deps, actor, async (trx) => {
      await sql`set local lock_timeout = '5s'`.execute(trx);
      await recordAudit(trx, t.deps, actor, { action: 'test.committed-first', entityType: 'test', entityId: 'b' });
    });
    release();
    await a;
    const rows = await asOwner((c) =>
      c.query<{ seq: string; entity_id: string }>('select seq::text, entity_id from audit_entry where seq > $1 order by seq', [headBefore]),
    );
    expect(rows.rows.map((r) => [Number(r.seq), r.entity_id])).toEqual([
      [headBefore + 1, 'b'],
      [headBefore + 2, 'a'],
    ]);
    const pending = await asOwner((c) => c.query<{ n: string }>('select count(*)::text as n from audit_pending'));
    expect(pending.rows[0]?.n).toBe('0');
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('the test above would see a head held before commit: with the append made immediate, the second writer times out', async () => {
    const actor = systemActor('audit-test');
    const headBefore = (await seqs()).length;
    const { done: a, release } = await heldOpenWithEntry(actor, 'test.immediate', { immediate: true });
    const b = inTransaction(t.deps, actor, async (trx) => {
      await sql`set local lock_timeout = '300ms'`.execute(trx);
      await recordAudit(trx, t.deps, actor, { action: 'test.blocked', entityType: 'test', entityId: 'b' });
    });
    await expect(b).rejects.toThrow(/lock timeout/);
    release();
    await a;
    expect(await seqs()).toEqual(Array.from({ length: headBefore + 1 }, (_, i) => i + 1));
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('chains several entries of one transaction in the order they were recorded; a rolled-back transaction leaves no entry', async () => {
    const actor = systemActor('audit-test');
    const headBefore = (await seqs()).length;
    await inTransaction(t.deps, actor, async (trx) => {
      for (const id of ['first', 'second', 'third']) await recordAudit(trx, t.deps, actor, { action: 'test.several', entityType: 'test', entityId: id });
    });
    await expect(
      inTransaction(t.deps, actor, async (trx) => {
        await recordAudit(trx, t.deps, actor, { action: 'test.rolled-back', entityType: 'test', entityId: 'gone' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const rows = await asOwner((c) => c.query<{ entity_id: string }>('select entity_id from audit_entry where seq > $1 order by seq', [headBefore]));
    expect(rows.rows.map((r) => r.entity_id)).toEqual(['first', 'second', 'third']);
    const pending = await asOwner((c) => c.query<{ n: string }>('select count(*)::text as n from audit_pending'));
    expect(pending.rows[0]?.n).toBe('0');
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it('lets the application role only insert pending entries, never read, change or delete them, and nothing without a scope', async () => {
    const actor = systemActor('audit-test');
    await expect(inTransaction(t.deps, actor, (trx) => sql`select * from audit_pending`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(inTransaction(t.deps, actor, (trx) => sql`delete from audit_pending`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(inTransaction(t.deps, actor, (trx) => sql`update audit_pending set action = 'x'`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await sql`select set_config('role', 'realign_app', true)`.execute(trx);
        await sql`insert into audit_pending (at, actor_label, action, entity_type, canonical_before_seq) values (now(), 'x', 'x', 'x', '{"seq":')`.execute(trx);
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('cannot be changed through the application role: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const actor = systemActor('audit-test');
    await expect(inTransaction(t.deps, actor, (trx) => sql`update audit_entry set action = 'forged' where seq = 1`.execute(trx))).rejects.toThrow(
      /permission denied/,
    );
    await expect(inTransaction(t.deps, actor, (trx) => sql`delete from audit_entry where seq = 1`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(inTransaction(t.deps, actor, (trx) => sql`truncate audit_entry`.execute(trx))).rejects.toThrow(/permission denied/);
  });

  it('cannot be changed even by the database owner while the trigger is in place', async () => {
    await asOwner(async (c) => {
      await expect(c.query(`update audit_entry set action = 'forged' where seq = 1`)).rejects.toThrow(/append-only: UPDATE is not allowed/);
      await expect(c.query('delete from audit_entry where seq = 1')).rejects.toThrow(/append-only: DELETE is not allowed/);
      await expect(c.query('truncate audit_entry cascade')).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    });
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
  });

  it("keeps no planner statistics on the entries' documents (migration 0036), and keeps them on the columns entries are read by", async () => {
    // Entries with documents exist by now (the tests above recorded partner changes).
    const stats = await asOwner(async (c) => {
      await c.query('analyze audit_entry');
      return (
        await c.query<{ attname: string }>(`select attname from pg_stats where schemaname = 'public' and tablename = 'audit_entry' order by attname`)
      ).rows.map((r) => r.attname);
    });
    expect(stats).toEqual(expect.arrayContaining(['seq', 'at', 'entity_type', 'entity_id', 'action']));
    expect(stats).not.toContain('before');
    expect(stats).not.toContain('after');
  });

  it('the CLI prints the verification as JSON and exits 0 while the chain holds', async () => {
    const run = await runCli(['audit', 'verify', '--json'], { databaseUrl: t.database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it('detects an entry altered behind the trigger, names its seq, and the CLI exits 1', async () => {
    const target = 7;
    await asOwner(async (c) => {
      await c.query('alter table audit_entry disable trigger audit_entry_append_only');
      await c.query(`update audit_entry set after = jsonb_set(coalesce(after, '{}'::jsonb), '{tier}', '"platinum"') where seq = $1`, [target]);
      await c.query('alter table audit_entry enable trigger audit_entry_append_only');
    });
    const result = await verifyAuditChain(t.deps);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenSeq).toBe(target);
    expect(result.entries).toBe(target - 1);
    expect(result.problem).toMatch(/altered/);

    const run = await runCli(['audit', 'verify', '--json'], { databaseUrl: t.database.url });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, firstBrokenSeq: target });
    const text = await runCli(['audit', 'verify'], { databaseUrl: t.database.url });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`broken at entry ${target}`);
  });

  it('detects a deleted entry as a gap', async () => {
    await asOwner(async (c) => {
      await c.query('alter table audit_entry disable trigger audit_entry_append_only');
      await c.query('delete from audit_entry where seq = 3');
      await c.query('alter table audit_entry enable trigger audit_entry_append_only');
    });
    const result = await verifyAuditChain(t.deps);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3, problem: 'entry 3 is missing' });
  });
});
