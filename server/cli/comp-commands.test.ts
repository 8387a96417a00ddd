import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanFile, planJsonSchema } from '../../common/comp/plan-file.ts';
import { componentKinds } from '../../common/comp/plan.ts';
import { transactionColumns } from '../../common/comp/transaction-row.ts';
import { runCli } from './spawn-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = path.join(ROOT, 'docs');
const EXAMPLES = path.join(DOCS, 'examples', 'comp-plans');
const ex = (name: string) => path.join(EXAMPLES, name);

const OLD = ex('renewal-centred-2026.yaml');
const NEW = ex('channel-friendly-2027.yaml');
const FILES = [
  '--transactions',
  ex('transactions.csv'),
  '--quotas',
  ex('quotas.csv'),
  '--participants',
  ex('participants.csv'),
  '--metrics',
  ex('metrics.csv'),
];

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'realign-comp-cli-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('plan files in docs', () => {
  it('parses every example plan', async () => {
    const files = (await fs.readdir(EXAMPLES)).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const r = parsePlanFile(await fs.readFile(path.join(EXAMPLES, f), 'utf8'), 'auto');
      expect('problems' in r ? r.problems : [], f).toEqual([]);
    }
  });

  it('commits the current JSON Schema of plan files', async () => {
    const committed: unknown = JSON.parse(await fs.readFile(path.join(DOCS, 'comp-plan.schema.json'), 'utf8'));
    expect(committed, 'docs/comp-plan.schema.json is stale: regenerate it with `npm run schema:comp-plan`').toEqual(planJsonSchema());
  });

  it('documents every component kind and every transaction column', async () => {
    const doc = await fs.readFile(path.join(DOCS, 'comp-plans.md'), 'utf8');
    for (const kind of componentKinds) expect(doc, kind).toContain(`\`${kind}\``);
    for (const column of transactionColumns) expect(doc, column).toContain(`\`${column}\``);
    for (const f of ['renewal-centred-2026.yaml', 'channel-friendly-2027.yaml', 'transactions.csv', 'quotas.csv', 'participants.csv', 'metrics.csv'])
      expect(doc, f).toContain(f);
  });
});

describe('realign comp simulate', () => {
  it('compares the example plans over 2027-Q1 (numbers worked out by hand in docs/comp-plans.md)', async () => {
    const r = await runCli(['comp', 'simulate', '--plan', OLD, '--plan', NEW, ...FILES, '--period', '2027-Q1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Simulation 2027-01-01 to 2027-04-01 (exclusive), USD: 6 transactions, 4 participants');
    const row = (start: string) => lines.find((l) => l.startsWith(start))?.split(/\s{2,}/);
    expect(row('S1 ')).toEqual(['S1', 'Alice Archer', '6,100.00', '8,831.05', '+2,731.05 (+44.77%)']);
    expect(row('S2 ')).toEqual(['S2', 'Bob Brown', '600.00', '3,000.00', '+2,400.00 (+400.00%)']);
    expect(row('M1 ')).toEqual(['M1', 'Maria Mendes', '0.00', '3,000.00', '+3,000.00 (n/a)']);
    // S3 is not in the participants file: simulated all the same, named by the reference.
    expect(row('S3 ')).toEqual(['S3', 'S3', '480.00', '3,000.00', '+2,520.00 (+525.00%)']);
    expect(row('Total cost')).toEqual(['Total cost', '7,180.00', '17,831.05']);
    expect(row('Cost of sales')).toEqual(['Cost of sales', '5.02%', '12.47%']);
    expect(row('Partner-sourced pay')).toEqual(['Partner-sourced pay', '300.00', '3,035.00']);
    expect(row('Seller pay per 1,000 partner-sourced')).toEqual(['Seller pay per 1,000 partner-sourced', '10.00', '101.17']);
  });

  it('prints the full result as JSON', async () => {
    const r = await runCli(['comp', 'simulate', '--plan', OLD, '--plan', NEW, ...FILES, '--period', '2027-Q1', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.period).toEqual({ start: '2027-01-01', end: '2027-04-01' });
    expect(result.currency).toBe('USD');
    const s1 = result.participants.find((p: { participantId: string }) => p.participantId === 'S1');
    expect(s1.plans[0]).toMatchObject({
      totalMinor: 610_000,
      // 6% of 40,000 renewal, 2% of 15,000 (half credit) partner-sourced + 35,000 consulting, 6% of the 5,000 refund back;
      // bonus: direct quota credit 70,000 on a quota of 50,000 (a quarter of 200,000) = 140% -> 150% of 2,000.
      components: { commission: 310_000, renewal_attainment_bonus: 300_000 },
    });
    expect(s1.plans[1]).toMatchObject({
      totalMinor: 883_105,
      // Marginal bands over quota credit 100,000 on 50,000: a quarter each at 3/5/8/10%; partner-sourced x1.3;
      // clawback of 5,000 at 10%; one partner-sourced non-renewal deal of 30,000 for the SPIFF;
      // 90 answered within SLA against 95 = 94.74% of 1,500.00.
      components: { attainment_commission: 691_000, non_renewal_partner_spiff: 50_000, registrations_within_sla: 142_105 },
      attribution: { partnerSourcedMinor: 303_500, unattributedMinor: 142_105 },
      changeMinor: 273_105,
    });
    const s2 = result.participants.find((p: { participantId: string }) => p.participantId === 'S2');
    // 1,321.44 commission + 1,531.58 accountability tops up to the 3,000.00 draw (guaranteed, not recovered).
    expect(s2.plans[1].components).toEqual({ attainment_commission: 132_144, registrations_within_sla: 153_158, draw: 14_698 });
    const [oldPlan, newPlan] = result.plans;
    expect(oldPlan).toMatchObject({ planKey: 'renewal_centred_2026', baseline: true, totalCostMinor: 718_000, revenueMinor: 14_300_000, costOfSalesBps: 502 });
    expect(newPlan).toMatchObject({
      planKey: 'channel_friendly_2027',
      totalCostMinor: 1_783_105,
      changeMinor: 1_065_105,
      costOfSalesBps: 1247,
      neutrality: { partnerSourcedCostMinor: 303_500, perThousand: { partner_sourced: 10_117 } },
    });
    // Most gained first: M1 +3,000.00 (draw), S1 +2,731.05, S3 +2,520.00, S2 +2,400.00.
    expect(newPlan.winners.map((w: { participantId: string }) => w.participantId)).toEqual(['M1', 'S1', 'S3', 'S2']);
    expect(newPlan.losers).toEqual([]);
    expect(oldPlan.neutrality.perThousand.partner_sourced).toBe(1_000);
  });

  it('notes that rules-of-the-road plans credit partner deals in full at x1 without a database', async () => {
    const text = (await fs.readFile(NEW, 'utf8')).replace(/crediting:\n(?: {2}.*\n)+/, 'crediting:\n  partnerCredit: rules_of_the_road\n');
    const file = path.join(dir, 'road.yaml');
    await fs.writeFile(file, text);
    const r = await runCli(['comp', 'simulate', '--plan', file, ...FILES, '--period', '2027-Q1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Note: channel_friendly_2027: partner credit follows the rules of the road.*full at x1/);
  });

  it('lists every problem of a plan file with its path and line, and simulates nothing (exit code 2)', async () => {
    const text = (await fs.readFile(OLD, 'utf8')).replace('currency: USD', 'currency: usd').replace('rateBps: 200\n', 'rateBps: 20000\n    colour: red\n');
    const file = path.join(dir, 'bad-plan.yaml');
    await fs.writeFile(file, text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const r = await runCli(['comp', 'simulate', '--plan', file, ...FILES, '--period', '2027-Q1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:${lineOf('currency: usd')}: currency: must be an ISO 4217 code`);
    expect(r.stderr).toContain(`${file}:${lineOf('rateBps: 20000')}: components[0].rateBps:`);
    expect(r.stderr).toContain(`${file}:${lineOf('colour: red')}: components[0].colour: unknown key`);
    expect(r.stderr).toContain('Nothing simulated: 3 problems to fix.');
  });

  it('lists every invalid transaction row with its line and reason, and simulates nothing (exit code 2)', async () => {
    const file = path.join(dir, 'bad-rows.csv');
    await fs.writeFile(
      file,
      [
        'transaction_id,kind,recognised_on,amount,currency,sellers,sourcing,partner',
        'X1,booking,2027-01-10,100.00,USD,S1,,',
        'X2,booking,2027-02-30,100.00,USD,S1,,',
        'X3,booking,2027-01-10,-5.00,USD,S1:50;S2:40,,',
        'X4,booking,2027-01-10,5.00,EUR,S1,,',
        'X1,booking,2027-01-10,1.00,USD,S1,,',
        'X6,booking,2027-01-10,1.00,USD,S1,partner_sourced,',
      ].join('\n'),
    );
    const r = await runCli(['comp', 'simulate', '--plan', OLD, '--transactions', file, '--period', '2027-Q1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `${file}:3: recognised_on: must be a calendar date written YYYY-MM-DD`,
      `${file}:4: amount: a booking cannot be negative; use credit_note; sellers: splits add up to 90%, not 100%`,
      `${file}:5: currency EUR: the plans pay in USD and a file simulation has no exchange rates (convert the amount to USD)`,
      `${file}:6: transaction_id X1 is also on line 2`,
      `${file}:7: partner: is required for a partner-sourced deal`,
      'Nothing simulated: 5 problems to fix.',
    ]);
  });

  it('refuses a period it cannot read, unknown columns, and a period that cuts a payout period', async () => {
    const bad = await runCli(['comp', 'simulate', '--plan', OLD, ...FILES, '--period', '2027-Q5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--period 2027-Q5: write a year \(2027\), a quarter \(2027-Q1\) or a month \(2027-03\)/);
    const file = path.join(dir, 'unknown-column.csv');
    await fs.writeFile(file, 'transaction_id,kind,recognised_on,amount,currency,sellers,colour\nX1,booking,2027-01-10,1.00,USD,S1,red\n');
    const unknown = await runCli(['comp', 'simulate', '--plan', OLD, '--transactions', file, '--period', '2027-Q1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${file}:1: unknown column colour`);
    const month = await runCli(['comp', 'simulate', '--plan', OLD, ...FILES, '--period', '2027-03']);
    expect(month.code).toBe(2);
    expect(month.stderr).toMatch(/plan renewal_centred_2026 pays by quarter/);
  });
});

describe('realign comp check and schema', () => {
  it('checks plan files', async () => {
    const ok = await runCli(['comp', 'check', OLD, NEW]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('renewal_centred_2026 (Renewal-centred direct plan 2026), 2 components: ok');
    const file = path.join(dir, 'broken.json');
    await fs.writeFile(file, '{\n  "format": "realign.comp-plan/v1",\n  "key": "k"\n}\n');
    const bad = await runCli(['comp', 'check', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}:1: name: is required`);
  });

  it('prints and writes the JSON Schema', async () => {
    const printed = await runCli(['comp', 'schema']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(planJsonSchema());
    const file = path.join(dir, 'schema.json');
    const written = await runCli(['comp', 'schema', '--write', file]);
    expect(written.code).toBe(0);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(planJsonSchema());
  });
});
