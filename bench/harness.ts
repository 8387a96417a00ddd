import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { Deps } from '../server/deps.ts';

/**
 * What a benchmark declares. setup() fills a fresh database with deterministic data for the
 * scale and returns the cases to time; exactly one of them is the baseline, measured in the same
 * run, so results read as ratios that survive a change of machine.
 */
export type BenchCase = { name: string; run(): Promise<unknown> };
export type BenchSetup = { baseline: BenchCase; cases: BenchCase[]; notes?: string[]; teardown?(): Promise<void> };
/** `connection`: the benchmark's database, for a process of its own to open (deps.db is this process's pool). */
export type BenchContext = { deps: Deps; scale: number; connection: pg.PoolConfig };
export type Benchmark = { name: string; description: string; setup(ctx: BenchContext): Promise<BenchSetup> };

export type CaseResult = { name: string; baseline: boolean; samples: number; medianMs: number; p95Ms: number; minMs: number; ratio: number };

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new RangeError('no samples');
  return [...xs].sort((a, b) => a - b);
}

/** The middle sample; the mean of the two middle ones for an even count. */
export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
export function percentile(xs: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100]: ${p}`);
  const s = sorted(xs);
  return s[Math.ceil((p / 100) * s.length) - 1] as number;
}

export function p95(xs: readonly number[]): number {
  return percentile(xs, 95);
}

export function minimum(xs: readonly number[]): number {
  return sorted(xs)[0] as number;
}

/** How many times slower than the baseline; a zero baseline gives Infinity rather than a lie. */
export function ratio(value: number, baseline: number): number {
  if (baseline === 0) return value === 0 ? 1 : Number.POSITIVE_INFINITY;
  return value / baseline;
}

export function summarise(name: string, samples: readonly number[], baselineMedian: number, isBaseline: boolean): CaseResult {
  const med = median(samples);
  return {
    name,
    baseline: isBaseline,
    samples: samples.length,
    medianMs: med,
    p95Ms: p95(samples),
    minMs: minimum(samples),
    ratio: ratio(med, baselineMedian),
  };
}

export type MachineInfo = {
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  node: string;
  postgres: string;
  database: 'embedded' | 'external';
  os: string;
};
export type BenchReport = {
  benchmark: Benchmark;
  date: string;
  scale: number;
  runs: number;
  warmup: number;
  machine: MachineInfo;
  results: CaseResult[];
  notes: string[];
};

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtRatio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a');

export function renderSection(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    startMarker(r.benchmark.name),
    `## ${r.benchmark.name}`,
    '',
    r.benchmark.description,
    '',
    `- Run on ${r.date}: scale ${r.scale}, ${r.runs} measured runs per case after ${r.warmup} warm-up runs, cases interleaved.`,
    `- Machine: ${m.cpuModel} x ${m.cpuCount}, ${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB RAM, ${m.os}, Node ${m.node}.`,
    `- Database: ${m.database === 'embedded' ? 'embedded server in a temporary directory' : 'external server (DATABASE_URL)'}; ${m.postgres}.`,
    ...r.notes.map((n) => `- ${n}`),
    '',
    '| case | median (ms) | p95 (ms) | min (ms) | median / baseline |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.results.map(
      (c) => `| ${c.baseline ? `${c.name} (baseline)` : c.name} | ${fmt(c.medianMs)} | ${fmt(c.p95Ms)} | ${fmt(c.minMs)} | ${fmtRatio(c.ratio)} |`,
    ),
    endMarker(r.benchmark.name),
  ];
  return lines.join('\n');
}

const startMarker = (name: string) => `<!-- bench:${name}:start -->`;
const endMarker = (name: string) => `<!-- bench:${name}:end -->`;

export const DOC_HEADER = [
  '# Benchmarks',
  '',
  'Written by `npm run bench -- NAME [--scale N] [--runs N]` (see bench/run.ts). Each benchmark fills a',
  'fresh database with deterministic data, times every case after a warm-up, and compares each median',
  'with a baseline measured in the same run: compare ratios across machines, not milliseconds.',
  'A run rewrites its own section and leaves the others as they are.',
  '',
].join('\n');

/** Replaces the benchmark's section in the document, or appends it; other sections stay as they are. */
export function upsertSection(doc: string, name: string, section: string): string {
  const base = doc.trim() === '' ? DOC_HEADER : doc;
  const start = base.indexOf(startMarker(name));
  const end = base.indexOf(endMarker(name));
  if (start !== -1 && end > start) return base.slice(0, start) + section + base.slice(end + endMarker(name).length);
  return `${base.replace(/\n*$/, '')}\n\n${section}\n`;
}

/**
 * CPU milliseconds of a PostgreSQL backend and of the server's exited children (parallel workers
 * are reaped by the postmaster, its parent), from /proc: null when the server is not on this
 * machine or /proc cannot be read. Clock ticks of 10 ms (USER_HZ 100).
 */
export function serverCpuMs(backendPid: number): number | null {
  try {
    const fields = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const own = fields(backendPid);
    const parent = fields(Number(own[1]));
    return (Number(own[11]) + Number(own[12]) + Number(parent[13]) + Number(parent[14])) * 10;
  } catch {
    return null;
  }
}
