import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { isoDate } from '../../common/dates.ts';
import { currencyCode, parseMajorAmount } from '../../common/money.ts';
import { planPartnerCredit, type CreditableTransaction, type PartnerCreditRule } from '../../common/comp/crediting.ts';
import { fiscalYearStart, formatAmount } from '../../common/comp/engine.ts';
import { parsePlanFile, planJsonSchema, type PlanFileFormat } from '../../common/comp/plan-file.ts';
import type { PlanDocument } from '../../common/comp/plan.ts';
import {
  metricForPeriod,
  parseSimulationPeriod,
  quotaForPeriod,
  SimulationError,
  simulatePlans,
  type PeriodValue,
  type SimParticipant,
  type SimulationResult,
} from '../../common/comp/simulate.ts';
import { requiredTransactionColumns, transactionColumns, transactionRow } from '../../common/comp/transaction-row.ts';
import { printJson, printLine } from './cli-runtime.ts';

/**
 * `realign comp ...`: plans as code. Checking plan files, the plan file JSON Schema, and simulating
 * plans on files (no database): the files are read and validated here, the simulation itself is
 * common/comp/simulate.ts (which runs the one engine).
 */

/** Exit code for input that is not right (bad plan file, invalid rows): no result is printed. */
const EXIT_BAD_INPUT = 2;

const SIMULATE_HELP = `
Files (CSV, UTF-8, a header row; documented in docs/comp-plans.md):
  --transactions  columns ${transactionColumns.join(', ')}
                  (required: ${requiredTransactionColumns.join(', ')}); e.g. sellers "S1:60;S2:40"
  --quotas        columns participant, period, quota, currency   (period 2027, 2027-Q1 or 2027-03)
  --participants  columns ref, name, manager, team, territory, active_from, active_to
  --metrics       columns participant, period, metric, value      (accountabilities and gates)

The first --plan is the current plan (the baseline); every other --plan is compared with it.
Sellers and managers missing from --participants are simulated too, named by their reference.
Without a database there are no rules of the road: a plan whose partner credit follows them
(crediting.partnerCredit: rules_of_the_road) credits partner deals in full at x1 here, and says so.
No exchange rates either: every transaction must be in the plans' currency.
Exit code 2 when an input file has problems (each is listed with its line); nothing is simulated then.

Example:
  realign comp simulate --plan docs/examples/comp-plans/renewal-centred-2026.yaml \\
    --plan docs/examples/comp-plans/channel-friendly-2027.yaml \\
    --transactions docs/examples/comp-plans/transactions.csv --quotas docs/examples/comp-plans/quotas.csv \\
    --participants docs/examples/comp-plans/participants.csv --metrics docs/examples/comp-plans/metrics.csv --period 2027-Q1`;

type Problem = string;

class InputProblems extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the input`);
    this.problems = problems;
  }
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new InputProblems([`${what} ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
}

function formatOf(file: string): PlanFileFormat | 'auto' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return 'auto';
}

/** Reads plan files; every problem of every file, with its path and line. */
async function readPlans(files: readonly string[]): Promise<PlanDocument[]> {
  const plans: PlanDocument[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const result = parsePlanFile(await readText(file, 'plan file'), formatOf(file));
    if ('plan' in result) plans.push(result.plan);
    else for (const p of result.problems) problems.push(`${file}${p.line === null ? '' : `:${p.line}`}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`);
  }
  if (problems.length > 0) throw new InputProblems(problems);
  return plans;
}

type CsvRow = { line: number; cells: Record<string, string> };

/** A CSV file with a header row: its rows with their line numbers; unknown and missing columns are problems. */
function readCsv(file: string, text: string, columns: readonly string[], required: readonly string[]): CsvRow[] {
  let records: { record: Record<string, string>; info: { lines: number; error?: unknown } }[];
  try {
    // With info: true each record comes as { record, info } (the typings do not say so).
    const raw: unknown = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      relax_column_count: true,
    });
    records = raw as typeof records;
  } catch (err) {
    throw new InputProblems([`${file}: not a readable CSV file (${err instanceof Error ? err.message : String(err)})`]);
  }
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const names = parseCsv(header, { trim: true })[0]?.map((h) => h.toLowerCase()) ?? [];
  const problems: Problem[] = [];
  const unknown = names.filter((n) => !columns.includes(n));
  if (unknown.length > 0) problems.push(`${file}:1: unknown column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (columns: ${columns.join(', ')})`);
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length > 0) problems.push(`${file}:1: missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
  const rows: CsvRow[] = [];
  for (const { record, info } of records) {
    if (info.error) problems.push(`${file}:${info.lines}: has a different number of cells than the header`);
    else rows.push({ line: info.lines, cells: record });
  }
  if (problems.length > 0) throw new InputProblems(problems);
  return rows;
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

async function readTransactions(file: string, currency: string): Promise<CreditableTransaction[]> {
  const rows = readCsv(file, await readText(file, 'transactions file'), transactionColumns, requiredTransactionColumns);
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const out: CreditableTransaction[] = [];
  for (const { line, cells } of rows) {
    const parsed = transactionRow.safeParse(cells);
    if (!parsed.success) {
      problems.push(`${file}:${line}: ${issuesText(parsed.error)}`);
      continue;
    }
    const t = parsed.data;
    const first = seen.get(t.transactionRef);
    if (first !== undefined) {
      problems.push(`${file}:${line}: transaction_id ${t.transactionRef} is also on line ${first}`);
      continue;
    }
    seen.set(t.transactionRef, line);
    if (t.currency !== currency) {
      problems.push(
        `${file}:${line}: currency ${t.currency}: the plans pay in ${currency} and a file simulation has no exchange rates (convert the amount to ${currency})`,
      );
      continue;
    }
    out.push({
      transactionId: t.transactionRef,
      kind: t.kind,
      recognisedOn: t.recognisedOn,
      amountMinor: t.amountMinor,
      currency: t.currency,
      product: t.product,
      scenario: t.scenario,
      segment: t.segment,
      sourcing: t.sourcing,
      partnerId: t.partnerRef,
      sellers: t.sellers.map((s) => ({ participantId: s.ref, splitBps: s.splitBps })),
      overlays: t.overlayRefs,
      originalRecognisedOn: t.originalRecognisedOn,
    });
  }
  if (problems.length > 0) throw new InputProblems(problems);
  return out;
}

const cell = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null);
const dateCell = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : s))
  .pipe(isoDate.nullable())
  .nullable()
  .default(null);

const participantRow = z.strictObject({
  ref: z.string().trim().min(1, 'is required').max(120),
  name: cell(200),
  manager: cell(120),
  team: cell(120),
  territory: cell(120),
  active_from: dateCell,
  active_to: dateCell,
});
const participantColumns = Object.keys(participantRow.shape);

async function readParticipants(file: string): Promise<SimParticipant[]> {
  const rows = readCsv(file, await readText(file, 'participants file'), participantColumns, ['ref']);
  const problems: Problem[] = [];
  const out: SimParticipant[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const parsed = participantRow.safeParse(cells);
    if (!parsed.success) {
      problems.push(`${file}:${line}: ${issuesText(parsed.error)}`);
      continue;
    }
    const p = parsed.data;
    const first = seen.get(p.ref);
    if (first !== undefined) problems.push(`${file}:${line}: participant ${p.ref} is also on line ${first}`);
    else if (p.active_from !== null && p.active_to !== null && p.active_to <= p.active_from)
      problems.push(`${file}:${line}: active_to must be after active_from (${p.active_from})`);
    else if (p.manager === p.ref) problems.push(`${file}:${line}: a participant cannot be their own manager`);
    else {
      seen.set(p.ref, line);
      out.push({ participantId: p.ref, name: p.name ?? p.ref, managerId: p.manager, team: p.team, activeFrom: p.active_from, activeTo: p.active_to });
    }
  }
  if (problems.length > 0) throw new InputProblems(problems);
  return out;
}

const periodCell = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const p = parseSimulationPeriod(s);
    if (!p) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a period: 2027, 2027-Q1 or 2027-03` });
      return z.NEVER;
    }
    return p;
  });

const quotaRow = z.strictObject({
  participant: z.string().trim().min(1, 'is required').max(120),
  period: periodCell,
  quota: z.string().trim().min(1, 'is required'),
  currency: z.string().trim().toUpperCase().pipe(currencyCode),
});

async function readQuotas(file: string, currency: string): Promise<Map<string, PeriodValue[]>> {
  const columns = Object.keys(quotaRow.shape);
  const rows = readCsv(file, await readText(file, 'quotas file'), columns, columns);
  const problems: Problem[] = [];
  const out = new Map<string, PeriodValue[]>();
  for (const { line, cells } of rows) {
    const parsed = quotaRow.safeParse(cells);
    if (!parsed.success) {
      problems.push(`${file}:${line}: ${issuesText(parsed.error)}`);
      continue;
    }
    const q = parsed.data;
    if (q.currency !== currency) {
      problems.push(`${file}:${line}: currency ${q.currency}: the plans pay in ${currency}`);
      continue;
    }
    let value: number;
    try {
      value = parseMajorAmount(q.quota, q.currency);
    } catch (err) {
      problems.push(`${file}:${line}: quota: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (value < 0) {
      problems.push(`${file}:${line}: quota: must not be negative`);
      continue;
    }
    const list = out.get(q.participant) ?? [];
    if (list.some((e) => e.start === q.period.start && e.end === q.period.end)) {
      problems.push(`${file}:${line}: a second quota for ${q.participant} in the same period`);
      continue;
    }
    list.push({ ...q.period, value });
    out.set(q.participant, list);
  }
  if (problems.length > 0) throw new InputProblems(problems);
  return out;
}

const metricRow = z.strictObject({
  participant: z.string().trim().min(1, 'is required').max(120),
  period: periodCell,
  metric: z.string().trim().min(1, 'is required').max(60),
  value: z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number such as 92.5')
    .transform(Number),
});

async function readMetrics(file: string): Promise<Map<string, Map<string, PeriodValue[]>>> {
  const columns = Object.keys(metricRow.shape);
  const rows = readCsv(file, await readText(file, 'metrics file'), columns, columns);
  const problems: Problem[] = [];
  const out = new Map<string, Map<string, PeriodValue[]>>();
  for (const { line, cells } of rows) {
    const parsed = metricRow.safeParse(cells);
    if (!parsed.success) {
      problems.push(`${file}:${line}: ${issuesText(parsed.error)}`);
      continue;
    }
    const m = parsed.data;
    const byMetric = out.get(m.participant) ?? new Map<string, PeriodValue[]>();
    const list = byMetric.get(m.metric) ?? [];
    list.push({ ...m.period, value: m.value });
    byMetric.set(m.metric, list);
    out.set(m.participant, byMetric);
  }
  if (problems.length > 0) throw new InputProblems(problems);
  return out;
}

/** Everything the simulate command reads, validated; or every problem found. */
export async function loadSimulation(opts: {
  plans: readonly string[];
  transactions: string;
  quotas?: string;
  participants?: string;
  metrics?: string;
  period: string;
  renewalScenarios?: string;
}): Promise<{ result: SimulationResult; transactions: number }> {
  const period = parseSimulationPeriod(opts.period);
  if (!period) throw new InputProblems([`--period ${opts.period}: write a year (2027), a quarter (2027-Q1) or a month (2027-03)`]);
  if (opts.plans.length === 0) throw new InputProblems(['name at least one --plan file']);
  const plans = await readPlans(opts.plans);
  const currency = plans[0]?.currency ?? 'USD';
  const different = plans.filter((p) => p.currency !== currency);
  if (different.length > 0)
    throw new InputProblems([
      `the plans pay in different currencies (${plans.map((p) => `${p.key}: ${p.currency}`).join(', ')}): compare plans of one currency`,
    ]);

  // Read every file before reporting, so that one run lists every problem.
  const problems: Problem[] = [];
  const attempt = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof InputProblems)) throw err;
      problems.push(...err.problems);
      return fallback;
    }
  };
  const allTransactions = await attempt(() => readTransactions(opts.transactions, currency), []);
  const participants = opts.participants ? await attempt(() => readParticipants(opts.participants as string), []) : [];
  const quotas = opts.quotas
    ? await attempt(() => readQuotas(opts.quotas as string, currency), new Map<string, PeriodValue[]>())
    : new Map<string, PeriodValue[]>();
  const metrics = opts.metrics
    ? await attempt(() => readMetrics(opts.metrics as string), new Map<string, Map<string, PeriodValue[]>>())
    : new Map<string, Map<string, PeriodValue[]>>();
  if (problems.length > 0) throw new InputProblems(problems);

  // The transactions the simulation reads: the period's, and those of its fiscal year before it (year-to-date windows, draws).
  const from = plans.map((p) => fiscalYearStart(p, period.start)).sort()[0] ?? period.start;
  const used = allTransactions.filter((t) => t.recognisedOn >= from && t.recognisedOn < period.end);
  // Sellers, overlays and managers that the participants file does not list are simulated too, named by their reference.
  const known = new Set(participants.map((p) => p.participantId));
  const add = (ref: string) => {
    if (known.has(ref)) return;
    known.add(ref);
    participants.push({ participantId: ref, name: ref, managerId: null, team: null, activeFrom: null, activeTo: null });
  };
  for (const p of [...participants]) if (p.managerId !== null) add(p.managerId);
  for (const tx of used) for (const ref of [...tx.sellers.map((s) => s.participantId), ...tx.overlays]) add(ref);

  const notes: string[] = [];
  const roadPlans = plans.filter((p) => p.crediting.partnerCredit === 'rules_of_the_road');
  if (roadPlans.length > 0)
    notes.push(
      `${roadPlans.map((p) => p.key).join(', ')}: partner credit follows the rules of the road, which live in the database; this file simulation credits direct sellers on partner deals in full at x1.`,
    );
  const fullAtOne: PartnerCreditRule = {
    directSellerCredit: 'full',
    sourcedBps: 10_000,
    influencedBps: 10_000,
    ruleRef: 'file simulation: full x1 (rules of the road not available)',
  };
  const renewals = opts.renewalScenarios
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const result = simulatePlans({
    plans,
    transactions: used,
    participants,
    quotas: (id, start, end) => quotaForPeriod(quotas.get(id) ?? [], start, end, currency),
    metrics: (id, start, end) => {
      const out: Record<string, number> = {};
      for (const [metric, entries] of metrics.get(id) ?? []) {
        const v = metricForPeriod(entries, start, end);
        if (v !== undefined) out[metric] = v;
      }
      return out;
    },
    period,
    partnerCredit: (plan) => (plan.crediting.partnerCredit === 'plan' ? planPartnerCredit(plan) : fullAtOne),
    fx: () => null,
    isRenewal: (scenario) => scenario !== null && (renewals ? renewals.includes(scenario) : scenario.includes('renewal')),
  });
  result.notes.push(...notes);
  return { result, transactions: used.filter((t) => t.recognisedOn >= period.start && t.recognisedOn < period.end).length };
}

// ---------------------------------------------------------------------------------------------
// Printing

function table(rows: string[][], rightAligned: (col: number) => boolean): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (rightAligned(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function printSimulation(result: SimulationResult, transactions: number): void {
  const cur = result.currency;
  const money = (n: number) => formatAmount(n, cur).replace(` ${cur}`, '');
  const signed = (n: number) => (n > 0 ? `+${money(n)}` : money(n));
  const percent = (bps: number | null) => (bps === null ? 'n/a' : `${bps > 0 ? '+' : ''}${(bps / 100).toFixed(2)}%`);
  const plainPercent = (bps: number | null) => (bps === null ? 'n/a' : `${(bps / 100).toFixed(2)}%`);
  const perK = (n: number | null) => (n === null ? 'n/a' : money(n));
  const plans = result.plans;

  printLine(
    `Simulation ${result.period.start} to ${result.period.end} (exclusive), ${cur}: ${transactions} transactions, ${result.participants.length} participants`,
  );
  printLine(`Baseline: ${plans[0]?.planKey ?? ''}; amounts in ${cur}`);
  for (const note of result.notes) printLine(`Note: ${note}`);
  printLine('');

  const head = ['Participant', 'Name', ...plans.flatMap((p, i) => (i === 0 ? [p.planKey] : [p.planKey, 'Change']))];
  const body = result.participants.map((p) => [
    p.participantId,
    p.name,
    ...p.plans.flatMap((r, i) => (i === 0 ? [money(r.totalMinor)] : [money(r.totalMinor), `${signed(r.changeMinor)} (${percent(r.changeBps)})`])),
  ]);
  printLine(table([head, ...body], (c) => c >= 2));
  printLine('');

  const rows: [string, (p: (typeof plans)[number]) => string][] = [
    ['Total cost', (p) => money(p.totalCostMinor)],
    ['Change', (p) => (p.baseline ? '' : `${signed(p.changeMinor)} (${percent(p.changeBps)})`)],
    ['Revenue', (p) => money(p.revenueMinor)],
    ['Cost of sales', (p) => plainPercent(p.costOfSalesBps)],
    ['Partner-sourced pay', (p) => money(p.attribution.partnerSourcedMinor)],
    ['Partner-influenced pay', (p) => money(p.attribution.partnerInfluencedMinor)],
    ['Non-renewal pay', (p) => money(p.attribution.nonRenewalMinor)],
    ['Seller pay per 1,000 partner-sourced', (p) => perK(p.neutrality.perThousand.partner_sourced)],
    ['Seller pay per 1,000 direct', (p) => perK(p.neutrality.perThousand.direct)],
    ['Winners / losers', (p) => (p.baseline ? '' : `${p.winners.length} / ${p.losers.length}`)],
    ['Earnings p10 / p50 / p90', (p) => `${money(p.distribution.p10Minor)} / ${money(p.distribution.p50Minor)} / ${money(p.distribution.p90Minor)}`],
  ];
  printLine('Totals');
  printLine(table([['', ...plans.map((p) => p.planKey)], ...rows.map(([label, f]) => [label, ...plans.map(f)])], (c) => c >= 1));
}

function printProblems(err: InputProblems): void {
  for (const p of err.problems) process.stderr.write(`${p}\n`);
  process.stderr.write(`Nothing simulated: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} to fix.\n`);
  process.exitCode = EXIT_BAD_INPUT;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerCompCommands(program: Command): void {
  const comp = program.command('comp').description('Compensation plans as code: check plan files, simulate plans on transaction files');

  comp
    .command('simulate')
    .description('What each plan would pay every participant over a period of transactions, compared with the first plan (no database)')
    .option('--plan <file>', 'a plan file (YAML or JSON); repeat to compare: the first is the baseline', collect)
    .requiredOption('--transactions <file>', 'transactions CSV')
    .option('--quotas <file>', 'quotas CSV')
    .option('--participants <file>', 'participants CSV')
    .option('--metrics <file>', 'accountability metrics CSV')
    .requiredOption('--period <period>', 'the period to simulate: 2027, 2027-Q1 or 2027-03')
    .option('--renewal-scenarios <list>', 'comma-separated scenarios that are renewals (default: every scenario whose key contains "renewal")')
    .option('--json', 'print the full result as JSON')
    .addHelpText('after', SIMULATE_HELP)
    .action(
      async (opts: {
        plan: string[];
        transactions: string;
        quotas?: string;
        participants?: string;
        metrics?: string;
        period: string;
        renewalScenarios?: string;
        json?: boolean;
      }) => {
        try {
          const { result, transactions } = await loadSimulation({ ...opts, plans: opts.plan ?? [] });
          if (opts.json) printJson(result);
          else printSimulation(result, transactions);
        } catch (err) {
          if (err instanceof InputProblems) printProblems(err);
          else if (err instanceof SimulationError) printProblems(new InputProblems([err.message]));
          else throw err;
        }
      },
    );

  comp
    .command('check')
    .description('Validate plan files; every problem with its path and line (exit code 2 when there is one)')
    .argument('<files...>', 'plan files (YAML or JSON)')
    .action(async (files: string[]) => {
      try {
        const plans = await readPlans(files);
        plans.forEach((p, i) =>
          printLine(`${files[i] ?? ''}: ${p.key} (${p.name}), ${p.components.length} component${p.components.length === 1 ? '' : 's'}: ok`),
        );
      } catch (err) {
        if (!(err instanceof InputProblems)) throw err;
        for (const p of err.problems) process.stderr.write(`${p}\n`);
        process.exitCode = EXIT_BAD_INPUT;
      }
    });

  comp
    .command('schema')
    .description('Print the JSON Schema of plan files (docs/comp-plan.schema.json), or write it to a file')
    .option('--write <file>', 'write the schema to this file instead of printing it')
    .action(async (opts: { write?: string }) => {
      const text = `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
      if (opts.write) {
        await fs.writeFile(opts.write, text);
        printLine(`Wrote ${opts.write}`);
      } else process.stdout.write(text);
    });
}
