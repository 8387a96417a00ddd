import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { sql } from 'kysely';
import { systemActor } from '../server/actor.ts';
import { inTransaction, type Deps } from '../server/deps.ts';
import { newId } from '../server/lib/ids.ts';
import { commitTransactionImport, runCommitJob, uploadTransactionFile, validateTransactionImport } from '../server/modules/commissions/transactions.service.ts';
import type { Benchmark } from './harness.ts';

const PARTICIPANTS = 5000;
const actor = systemActor('bench');

/** S x 1M rows: one in five split between two sellers, a few products and scenarios, every month of a year. */
async function writeFile(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('Order ID,Type,Order date,Amount,Currency,Product,Scenario,Sourcing,Reseller,Salesperson,Customer\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const d = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const s = i % 5 === 0 ? `P${i % PARTICIPANTS}:60;P${(i + 7) % PARTICIPANTS}:40` : `P${i % PARTICIPANTS}`;
    const kind = i % 50 === 0 ? 'credit_note' : 'invoice';
    const amount = `${kind === 'credit_note' ? '-' : ''}${(i % 20_000) + 1}.${String(i % 100).padStart(2, '0')}`;
    buf += `INV-${i},${kind},${d},${amount},USD,PRD-${i % 40},${i % 3 === 0 ? 'new_business' : 'renewal'},direct,,${s},Customer ${i % 9000}\n`;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  out.end();
  await once(out, 'finish');
  return (await fs.stat(file)).size;
}

async function importFile(deps: Deps, file: string, stages?: Record<string, number>): Promise<void> {
  const mark = (name: string, since: number) => {
    if (stages) stages[name] = Math.round(performance.now() - since);
    return performance.now();
  };
  let t = performance.now();
  const up = await uploadTransactionFile(deps, actor, { sourceName: 'bench.csv' }, createReadStream(file, { highWaterMark: 1 << 20 }));
  t = mark('upload (stream into the store, read the header)', t);
  const v = await validateTransactionImport(deps, actor, up.id, up.mapping);
  if (v.counts?.bad !== 0) throw new Error(`bench rows should all be good: ${JSON.stringify(v.problems.slice(0, 3))}`);
  t = mark('validation (every row parsed by csv-parse and checked, against the store)', t);
  const c = await commitTransactionImport(deps, actor, up.id, 'all_or_nothing', { inlineMaxRows: 0 });
  if (c.status !== 'committing') throw new Error(`expected a commit job, got ${c.status}`);
  await runCommitJob(deps, up.id, 1);
  mark('commit (the job: the store unchanged since validation, so the file read again and the good rows written, no row checked against the store)', t);
}

/** The store is emptied between runs (a TRUNCATE: milliseconds), so every run imports into the same state. */
async function emptyStore(deps: Deps): Promise<void> {
  await sql`truncate sales_transaction, transaction_import_chunk, transaction_import`.execute(deps.db);
}

export const transactionImportBench: Benchmark = {
  name: 'commissions.transaction-import',
  description:
    "Import of a S x 1M-row CSV through the service (upload streamed into the store, validation with the proposed mapping, commit by the job in one transaction: the validation's answers reused since the store has not changed, the file read again and its lines written), into an empty store. Target at S = 1: at most 4 s, validation included. Baseline: sha256 of the same file read from disk. Run with --runs 3 --warmup 1.",
  async setup({ deps, scale }) {
    const rows = Math.round(scale * 1_000_000);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-tx-bench-'));
    const file = path.join(dir, 'transactions.csv');
    const size = await writeFile(file, rows);
    await inTransaction(deps, systemActor('bench'), async (trx) => {
      const participants = Array.from({ length: PARTICIPANTS }, (_, i) => ({ compParticipantId: newId(), externalRef: `P${i}`, displayName: `Seller ${i}` }));
      for (let i = 0; i < participants.length; i += 1000)
        await trx
          .insertInto('compParticipant')
          .values(participants.slice(i, i + 1000))
          .execute();
    });
    // One import with its stages timed, for the notes.
    const stages: Record<string, number> = {};
    const loadBefore = os.loadavg()[0] ?? 0;
    await importFile(deps, file, stages);
    const loadAfter = os.loadavg()[0] ?? 0;
    const lines = await deps.db
      .selectFrom('salesTransaction')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await emptyStore(deps);
    return {
      baseline: {
        name: 'sha256 of the file read from disk (the floor)',
        run: async () => {
          const h = createHash('sha256');
          for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
          return h.digest('hex');
        },
      },
      cases: [
        {
          name: `Import of a ${rows.toLocaleString('en-US')}-row CSV: upload, validation, commit (target at 1M rows: at most 4 s)`,
          run: async () => {
            await emptyStore(deps);
            await importFile(deps, file);
          },
        },
      ],
      notes: [
        `${rows.toLocaleString('en-US')} rows (${(size / 1024 / 1024).toFixed(1)} MB; one in five split between two sellers, so ${Number(lines.n).toLocaleString('en-US')} stored lines), ${PARTICIPANTS} participants.`,
        `One import timed by stage: ${Object.entries(stages)
          .map(([k, v]) => `${k} ${v} ms`)
          .join('; ')}.`,
        'Where the time goes (measured apart on this machine, load 5-6): reading and checking the rows in Node (csv-parse about 2.5 s of CPU, the row check about 2 s, garbage collection about 1 s) runs alongside the database; the commit is bound by PostgreSQL inserting 1.2M lines (heap alone about 7 s, its three indexes about 25 s more, the comp_participant foreign key check about 7 s more, at that load), not by the app. COPY cannot replace the insert: PostgreSQL refuses COPY FROM into a table with row-level security, and sales_transaction forces it. Levers left outside this module: server settings for the embedded server (shared_buffers is the default 128 MB, smaller than the 1.2M lines and their indexes; max_wal_size), and fewer indexes on sales_transaction (the period index could be the primary key: participant_id, recognised_on, ...).',
        `Machine load (1-minute load average on ${os.cpus().length} cores) before and after that import: ${loadBefore.toFixed(1)} and ${loadAfter.toFixed(1)}; the machine is shared with other test runs, and a load above the core count inflates every figure here.`,
      ],
      async teardown() {
        await emptyStore(deps);
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  },
};
