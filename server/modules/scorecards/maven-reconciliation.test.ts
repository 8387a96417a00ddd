import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMetric } from '../../../common/scorecards/builtin-metrics.ts';
import type { SubjectKind } from '../../../common/scorecards/metric.ts';
import { systemActor } from '../../actor.ts';
import type { Deps } from '../../deps.ts';
import { inScope } from '../../db/scope.ts';
import { makePartner, makeUser } from '../../test/harness.ts';
import { createTestDeps, type TestDeps } from '../../test/test-db.ts';
import { readMavenCrmDir } from './maven-files.ts';
import { computeMetricValues } from './metrics.service.ts';
import { importMavenCrm } from './opportunities.service.ts';

/**
 * The scorecards' figures for the real Maven CRM file must reconcile EXACTLY with the source: win
 * rate, sales cycle and won value per seller, manager and regional office, for 2017 and per quarter,
 * computed here a second time straight from the CSV with plain TypeScript (split on commas, no
 * database, no csv-parse, no metric compiler).
 */

const dir = resolve(process.env.REALIGN_MAVEN_DIR ?? resolve(process.cwd(), '../shared/data/maven-crm-sales-opportunities'));
const present = existsSync(resolve(dir, 'sales_pipeline.csv'));
if (!present) console.warn(`SKIPPED: the Maven CRM reconciliation needs the data folder ${dir} (set REALIGN_MAVEN_DIR)`);

type Expected = { winRate: number | null; cycle: number | null; wonMinor: number | null };

function lines(file: string): string[][] {
  return readFileSync(resolve(dir, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
}

function days(from: string, to: string): number {
  return (
    (Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) - Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) / 86_400_000
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Straight from the CSV: per subject name and period start, the three figures. */
function expectedFigures(kind: 'seller' | 'manager' | 'unit', grain: 'year' | 'quarter'): Map<string, Expected> {
  const team = new Map(lines('sales_teams.csv').map(([agent, manager, office]) => [agent!, { manager: manager!, office: office! }]));
  const acc = new Map<string, { won: number; lost: number; cycles: number[]; wonMinor: number }>();
  for (const [, agent, , , stage, engage, close, value] of lines('sales_pipeline.csv')) {
    if ((stage !== 'Won' && stage !== 'Lost') || !close || !close.startsWith('2017')) continue;
    const month = +close.slice(5, 7);
    const period = grain === 'year' ? '2017-01-01' : `2017-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    const t = team.get(agent!);
    const subject = kind === 'seller' ? agent! : kind === 'manager' ? t?.manager : t?.office;
    if (!subject) continue;
    const k = `${subject}|${period}`;
    const a = acc.get(k) ?? { won: 0, lost: 0, cycles: [], wonMinor: 0 };
    if (stage === 'Won') {
      a.won += 1;
      a.cycles.push(days(engage!, close));
      a.wonMinor += Number(value) * 100;
    } else a.lost += 1;
    acc.set(k, a);
  }
  const out = new Map<string, Expected>();
  for (const [k, a] of acc)
    out.set(k, { winRate: a.won / (a.won + a.lost), cycle: a.cycles.length ? median(a.cycles) : null, wonMinor: a.won ? a.wonMinor : null });
  return out;
}

let t: TestDeps;
let deps: Deps;
const actor = systemActor('test');

async function computed(kind: SubjectKind, grain: 'year' | 'quarter'): Promise<Map<string, Expected>> {
  const q = { subjectKind: kind, from: '2017-01-01', to: '2018-01-01', grain };
  const [win, cycle, won] = await Promise.all([
    computeMetricValues(deps, actor, 'win_rate', q),
    computeMetricValues(deps, actor, 'sales_cycle_days', q),
    computeMetricValues(deps, actor, 'won_value', q),
  ]);
  const out = new Map<string, Expected>();
  const at = (label: string | null, period: string) => {
    const k = `${label}|${period}`;
    const e = out.get(k) ?? { winRate: null, cycle: null, wonMinor: null };
    out.set(k, e);
    return e;
  };
  for (const r of win.items) at(r.subjectLabel, r.period).winRate = r.value;
  for (const r of cycle.items) at(r.subjectLabel, r.period).cycle = r.value;
  for (const r of won.items) at(r.subjectLabel, r.period).wonMinor = r.value;
  return out;
}

describe.skipIf(!present)('Maven CRM opportunities: import and reconciliation with the source file', () => {
  let report: Awaited<ReturnType<typeof importMavenCrm>>;
  beforeAll(async () => {
    t = await createTestDeps();
    deps = t.deps;
    report = await importMavenCrm(deps, actor, await readMavenCrmDir(dir));
  }, 120_000);
  afterAll(async () => t?.close());

  it('imports every row and reports every messy value with file and line', () => {
    const pipeline = lines('sales_pipeline.csv');
    expect(report.pipelineRows).toBe(pipeline.length);
    expect(report.opportunities).toEqual({ inserted: pipeline.length, updated: 0, unchanged: 0, rejected: 0 });
    // Counted again from the file: "GTXPro" rows, rows without account, agents without deals.
    const spelledTogether = pipeline.filter((r) => r[2] === 'GTXPro').length;
    const noAccount = pipeline.filter((r) => r[3] === '').length;
    const agentsWithDeals = new Set(pipeline.map((r) => r[1]));
    const idle = lines('sales_teams.csv').filter(([agent]) => !agentsWithDeals.has(agent)).length;
    expect(report.counts.product_spelling).toBe(spelledTogether);
    expect(report.counts.missing_account).toBe(noAccount);
    expect(report.counts.agent_without_opportunities).toBe(idle);
    // The figures PROVENANCE.md records for this copy.
    expect([spelledTogether, noAccount, idle]).toEqual([1480, 1425, 5]);
    expect(report.counts.unknown_agent).toBe(0);
    expect(report.counts.unknown_product).toBe(0);
    const first = report.notes.find((n) => n.kind === 'product_spelling');
    expect(first).toEqual({
      file: 'sales_pipeline.csv',
      line: 3,
      kind: 'product_spelling',
      message: 'Z063OYW0: product "GTXPro" read as "GTX Pro" (the products.csv spelling)',
    });
    expect(report.sellers).toEqual({ created: 35 + 6, updated: 0, unchanged: 0 });
  });

  it('is idempotent: importing again adds and changes nothing', async () => {
    const again = await importMavenCrm(deps, actor, await readMavenCrmDir(dir));
    expect(again.opportunities).toEqual({ inserted: 0, updated: 0, unchanged: report.pipelineRows, rejected: 0 });
    expect(again.sellers).toEqual({ created: 0, updated: 0, unchanged: 41 });
    const n = await t.deps.db
      .selectFrom('opportunity')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(report.pipelineRows);
  });

  for (const kind of ['seller', 'manager', 'unit'] as const)
    for (const grain of ['year', 'quarter'] as const)
      it(`win rate, sales cycle and won value per ${kind}, per ${grain} of 2017, equal the source file's`, async () => {
        const expected = expectedFigures(kind, grain);
        const actual = await computed(kind, grain);
        expect(actual.size).toBeGreaterThan(0);
        expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
      });

  it('adds up: the programme total equals the sum over the file', async () => {
    const all = lines('sales_pipeline.csv').filter((r) => r[4] === 'Won' && r[6]!.startsWith('2017'));
    const won = await computeMetricValues(deps, actor, 'won_value', { subjectKind: 'programme', from: '2017-01-01', to: '2018-01-01', grain: 'year' });
    expect(won.items).toHaveLength(1);
    expect(won.items[0]!.value).toBe(all.reduce((s, r) => s + Number(r[7]) * 100, 0));
    expect(won.items[0]!.rows).toBe(all.length);
    expect(builtinMetric('sales_cycle_days')?.measure).toMatchObject({ kind: 'median', field: 'cycle_days' });
  });
  it('hides every opportunity from the partner scope (row-level security, not only the policy code)', async () => {
    const p = await makePartner(deps);
    const u = await makeUser(deps, { roles: ['partner_admin'], partnerId: p.id });
    const seen = await inScope(deps.db, { kind: 'partner', userId: u.id, partnerId: p.id }, (trx) =>
      trx
        .selectFrom('opportunity')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    expect(Number(seen.n)).toBe(0);
  });
});
