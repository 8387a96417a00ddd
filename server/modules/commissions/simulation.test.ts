import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationRunResult, SimulationView } from '../../../common/api/comp-simulation.ts';
import type { CreditableTransaction } from '../../../common/comp/crediting.ts';
import { minorUnitDigits } from '../../../common/money.ts';
import { simulatePlans, type SimParticipant } from '../../../common/comp/simulate.ts';
import { systemActor } from '../../actor.ts';
import { loadSimulation } from '../../cli/comp-commands.ts';
import { inTransaction } from '../../deps.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { seedDemoHistory, type DemoHistory } from './simulation.test-support.ts';
import { loadStoreSimulation, MAX_TRANSACTIONS_SETTING } from './simulation.service.ts';
import { runResultOf } from './simulation.rules.ts';

let t: TestApp;
let demo: DemoHistory;
let compAdmin: Session;
let finance: Session;
let seller: Session;
let partnerUser: Session;

// Beyond the demo file: an overlay, an uneven three-way split and a cancellation, so the regrouping
// of stored lines back into transactions is exercised.
const extraRows: Record<string, string>[] = [
  {
    transaction_id: 'X1',
    kind: 'booking',
    recognised_on: '2027-02-03',
    amount: '10000.01',
    currency: 'USD',
    scenario: 'migration',
    sourcing: 'partner_sourced',
    partner: 'P-GAMMA',
    sellers: 'S1:33.33;S2:33.33;S3:33.34',
    overlays: 'OV1',
  },
  {
    transaction_id: 'X2',
    kind: 'booking',
    recognised_on: '2027-01-20',
    amount: '12000.00',
    currency: 'USD',
    scenario: 'maintenance_renewal',
    sellers: 'S2',
    overlays: 'OV1',
  },
  {
    transaction_id: 'X3',
    kind: 'cancellation',
    recognised_on: '2027-03-30',
    amount: '-3000.00',
    currency: 'USD',
    scenario: 'maintenance_renewal',
    sellers: 'S2',
    original_recognised_on: '2027-01-20',
  },
];

beforeAll(async () => {
  t = await createTestApp();
  demo = await seedDemoHistory(t.deps, extraRows, [{ ref: 'OV1', name: 'Olga Overlay' }]);
  const mk = async (roles: Parameters<typeof makeUser>[1]['roles'], partnerId: string | null = null) => {
    const u = await makeUser(t.deps, { roles, partnerId });
    return signIn(t.app, u.email);
  };
  compAdmin = await mk(['comp_admin']);
  finance = await mk(['finance']);
  seller = await mk(['internal_seller']);
  const partner = await makePartner(t.deps);
  partnerUser = await mk(['partner_admin'], partner.id);
});
afterAll(async () => t?.close());

async function simulate(session: Session, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/comp/simulations', headers: session.headers, payload: body });
}

const demoRequest = () => ({ baselineVersionId: demo.baselineVersionId, candidateVersionIds: [demo.candidateVersionId], period: '2027-Q1' });

async function auditCount(): Promise<number> {
  const r = await t.deps.db
    .selectFrom('auditEntry')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---------------------------------------------------------------------------------------------
// The store's data written in the CLI's file formats

function majorText(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = minor < 0;
  const abs = (negative ? -BigInt(minor) : BigInt(minor)).toString().padStart(digits + 1, '0');
  const text = digits > 0 ? `${abs.slice(0, abs.length - digits)}.${abs.slice(abs.length - digits)}` : abs;
  return `${negative ? '-' : ''}${text}`;
}

const csvCell = (v: string | null) => (v === null ? '' : /[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header: string[], rows: (string | null)[][]) => `${[header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n')}\n`;

function transactionsCsv(txs: readonly CreditableTransaction[]): string {
  const pct = (bps: number) => `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}`;
  return csv(
    [
      'transaction_id',
      'kind',
      'recognised_on',
      'amount',
      'currency',
      'product',
      'scenario',
      'segment',
      'sourcing',
      'partner',
      'sellers',
      'overlays',
      'original_recognised_on',
    ],
    txs.map((tx) => [
      tx.transactionId,
      tx.kind,
      tx.recognisedOn,
      majorText(tx.amountMinor, tx.currency),
      tx.currency,
      tx.product,
      tx.scenario,
      tx.segment,
      tx.sourcing,
      tx.partnerId,
      tx.sellers.map((s) => `${s.participantId}:${pct(s.splitBps)}`).join(';'),
      tx.overlays.join(';'),
      tx.originalRecognisedOn,
    ]),
  );
}

function participantsCsv(ps: readonly SimParticipant[]): string {
  return csv(
    ['ref', 'name', 'manager', 'team', 'active_from', 'active_to'],
    ps.map((p) => [p.participantId, p.name, p.managerId, p.team, p.activeFrom, p.activeTo]),
  );
}

/** comp_quota rows as the quotas file: whole years, quarters or months only (all the demo has). */
async function quotasCsv(participantIds: readonly string[]): Promise<string> {
  const rows = await t.deps.db.selectFrom('compQuota').selectAll().where('compParticipantId', 'in', participantIds).orderBy('periodStart').execute();
  const label = (start: string, end: string) => {
    const months = (Number(end.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(end.slice(5, 7)) - Number(start.slice(5, 7));
    if (months === 12 && start.slice(5) === '01-01') return start.slice(0, 4);
    if (months === 3) return `${start.slice(0, 4)}-Q${(Number(start.slice(5, 7)) + 2) / 3}`;
    if (months === 1) return start.slice(0, 7);
    throw new Error(`quota period ${start}..${end} has no file label`);
  };
  return csv(
    ['participant', 'period', 'quota', 'currency'],
    rows.map((q) => [q.compParticipantId, label(q.periodStart, q.periodEnd), majorText(q.amountMinor, q.currency), q.currency]),
  );
}

const withoutNotes = (r: SimulationRunResult) => ({ ...r, notes: [] });

describe('plan simulation against the transaction store', () => {
  it('simulates the candidate against the current plan on demo history, stores the result and writes one audit entry', async () => {
    const before = await auditCount();
    const r = await simulate(compAdmin, demoRequest());
    expect(r.statusCode, r.body).toBe(201);
    expect(await auditCount()).toBe(before + 1);
    const view: SimulationView = r.json();
    expect(view.versions.map((v) => v.versionId)).toEqual([demo.baselineVersionId, demo.candidateVersionId]);
    expect(view.period).toBe('2027-Q1');
    expect(view.result.period).toEqual({ start: '2027-01-01', end: '2027-04-01' });
    // T1-T6 and X1-X3 fall in 2027-Q1; T7 is in May.
    expect(view.transactionCount).toBe(9);
    const names = view.result.participants.map((p) => p.name);
    for (const n of ['Alice Archer', 'Bob Brown', 'Maria Mendes', 'Sam Stone', 'Olga Overlay']) expect(names).toContain(n);
    expect(view.result.plans).toHaveLength(2);
    const [base, cand] = view.result.plans;
    expect(base?.baseline).toBe(true);
    expect(cand?.revenueMinor).toBe(base?.revenueMinor);
    expect(base?.revenueMinor).toBe(4_000_000 + 3_000_000 + 5_000_000 + 2_000_000 - 500_000 + 800_000 + 1_000_001 + 1_200_000 - 300_000);
    expect(view.result.notes.join(' ')).toContain('Accountability measures are not read');

    const list = await t.app.inject({ method: 'GET', url: '/api/comp/simulations', headers: finance.headers });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(view.id);
    const again = await t.app.inject({ method: 'GET', url: `/api/comp/simulations/${view.id}`, headers: finance.headers });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().result).toEqual(view.result);
  });

  it('gives the same numbers as `realign comp simulate` on the same data written as files', async () => {
    const r = await simulate(compAdmin, demoRequest());
    expect(r.statusCode, r.body).toBe(201);
    const stored: SimulationView = r.json();

    const loaded = await inTransaction(t.deps, systemActor('test'), (trx) => loadStoreSimulation(trx, demoRequest()));
    const renewals = (await t.deps.db.selectFrom('scenario').select('key').where('isRenewal', '=', true).execute()).map((s) => s.key);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-sim-'));
    try {
      const planFiles = await Promise.all(
        loaded.input.plans.map(async (plan, i) => {
          const file = path.join(dir, `plan-${i}.json`);
          await fs.writeFile(file, JSON.stringify(plan));
          return file;
        }),
      );
      await fs.writeFile(path.join(dir, 'transactions.csv'), transactionsCsv(loaded.input.transactions));
      await fs.writeFile(path.join(dir, 'participants.csv'), participantsCsv(loaded.input.participants));
      await fs.writeFile(path.join(dir, 'quotas.csv'), await quotasCsv(loaded.input.participants.map((p) => p.participantId)));
      const cli = await loadSimulation({
        plans: planFiles,
        transactions: path.join(dir, 'transactions.csv'),
        participants: path.join(dir, 'participants.csv'),
        quotas: path.join(dir, 'quotas.csv'),
        period: '2027-Q1',
        renewalScenarios: renewals.join(','),
      });
      expect(cli.transactions).toBe(stored.transactionCount);
      const fromCli = runResultOf(cli.result);
      // Per participant, per plan: earnings, change, components, attribution, periods.
      expect(fromCli.participants).toEqual(stored.result.participants);
      // Per plan: cost, revenue, cost of sales, distribution, winners and losers, partner-sourced and non-renewal pay, neutrality.
      expect(withoutNotes(fromCli)).toEqual(withoutNotes(stored.result));
      // Not a vacuous comparison: the candidate changes someone's pay, and pays partner-sourced business.
      expect(stored.result.participants.some((p) => p.plans[1]?.changeMinor !== 0)).toBe(true);
      expect(stored.result.plans[1]?.attribution.partnerSourcedMinor).toBeGreaterThan(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('is simulatePlans itself: the service result equals simulatePlans on the loaded input', async () => {
    const loaded = await inTransaction(t.deps, systemActor('test'), (trx) => loadStoreSimulation(trx, demoRequest()));
    const r = await simulate(compAdmin, demoRequest());
    expect(withoutNotes(r.json().result)).toEqual(withoutNotes(runResultOf(simulatePlans(loaded.input))));
  });

  it('filters by participant: only the transactions crediting them', async () => {
    const s3 = demo.participants.get('S3') as string;
    const r = await simulate(compAdmin, { ...demoRequest(), participantIds: [s3] });
    expect(r.statusCode, r.body).toBe(201);
    // T6 (S3 alone) and X1 (S1, S2, S3 and the overlay).
    expect(r.json().transactionCount).toBe(2);
  });

  it('refuses a window over the configured transaction count with a clear message, and bad requests with their field', async () => {
    await inTransaction(t.deps, systemActor('test'), (trx) => trx.insertInto('appSetting').values({ key: MAX_TRANSACTIONS_SETTING, value: '3' }).execute());
    try {
      const r = await simulate(compAdmin, demoRequest());
      expect(r.statusCode, r.body).toBe(413);
      expect(r.json().detail ?? r.json().title).toMatch(/at most 3/);
    } finally {
      await inTransaction(t.deps, systemActor('test'), (trx) => trx.deleteFrom('appSetting').where('key', '=', MAX_TRANSACTIONS_SETTING).execute());
    }
    const twice = await simulate(compAdmin, { ...demoRequest(), candidateVersionIds: [demo.baselineVersionId] });
    expect(twice.statusCode, twice.body).toBe(400);
    const month = await simulate(compAdmin, { ...demoRequest(), period: '2027-02' });
    expect(month.statusCode, month.body).toBe(400);
    expect(month.body).toContain('whole payout periods');
    const unknown = await simulate(compAdmin, { ...demoRequest(), candidateVersionIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.statusCode, unknown.body).toBe(400);
  });

  it('is for comp admins, admins and finance; partners learn nothing (404)', async () => {
    const r = await simulate(compAdmin, demoRequest());
    const id = r.json().id as string;
    expect((await simulate(seller, demoRequest())).statusCode).toBe(403);
    expect((await simulate(partnerUser, demoRequest())).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/comp/simulations', headers: partnerUser.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/comp/simulations/${id}`, headers: partnerUser.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/comp/simulations/${id}`, headers: seller.headers })).statusCode).toBe(403);
  });
});
