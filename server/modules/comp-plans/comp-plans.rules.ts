import type { ApprovalStepName, PlanChange } from '../../../common/api/comp-plans.ts';
import { formatPath, parsePlanFile, type PlanFileFormat } from '../../../common/comp/plan-file.ts';
import { ceilingProblems, planDocument, type PlanDocument } from '../../../common/comp/plan.ts';
import type { ProblemIssue } from '../../../common/errors.ts';

/** Pure rules of the comp-plans module: validation with paths, the approval chain, version diffs. */

/** ['components', 2, 'rateBps'] under 'document' -> 'document.components[2].rateBps'. */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  const rest = formatPath(path);
  if (rest === '') return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

export type Checked = { plan: PlanDocument; issues: [] } | { plan: null; issues: ProblemIssue[] };

/** A document sent as JSON: the shape and the plan's own checks, every problem with its path under `document`. */
export function checkDocument(raw: unknown): Checked {
  const r = planDocument.safeParse(raw);
  if (r.success) return { plan: r.data, issues: [] };
  return { plan: null, issues: r.error.issues.map((i) => ({ path: issuePath('document', i.path), message: i.message })) };
}

/** A plan file (YAML or JSON text): problems name the path under `document` and the line of the file. */
export function checkFile(text: string, format: PlanFileFormat | 'auto'): Checked {
  const r = parsePlanFile(text, format);
  if ('plan' in r) return { plan: r.plan, issues: [] };
  return {
    plan: null,
    issues: r.problems.map((p) => ({
      path: p.path === '' ? 'document' : issuePath('document', [p.path]),
      message: p.line === null ? p.message : `line ${p.line}: ${p.message}`,
    })),
  };
}

/**
 * What a valid document may still not be, as a version of a given plan under the organisation's
 * payout ceiling: its key and currency are the plan's, and it cannot pay more than the ceiling.
 */
export function versionIssues(plan: PlanDocument, of: { key: string; currency: string } | null, ceilingMinor: number | null): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  if (of && plan.key !== of.key) issues.push({ path: 'document.key', message: `must be the plan's key "${of.key}": a version cannot move to another plan` });
  if (of && plan.currency !== of.currency)
    issues.push({ path: 'document.currency', message: `must be the plan's currency ${of.currency}: start a new plan for another currency` });
  for (const p of ceilingProblems(plan, ceilingMinor)) issues.push({ path: issuePath('document', p.path), message: p.message });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// The approval chain

/** comp_admin, then finance, then (when the plan has assigned participants with a manager who can sign in) a manager. */
export function requiredSteps(hasManagerApprovers: boolean): ApprovalStepName[] {
  return hasManagerApprovers ? ['comp_admin', 'finance', 'manager'] : ['comp_admin', 'finance'];
}

export type Decision = { step: ApprovalStepName; decision: 'approved' | 'rejected'; decidedByUserId: string | null };

export type ChainState = { step: ApprovalStepName; state: 'done' | 'next' | 'waiting' }[];

/** The state of each required step in one round: approved steps are done, the first other one is next. */
export function chainState(required: readonly ApprovalStepName[], decisions: readonly Decision[]): ChainState {
  let nextSeen = false;
  return required.map((step) => {
    const approved = decisions.some((d) => d.step === step && d.decision === 'approved');
    if (approved && !nextSeen) return { step, state: 'done' };
    if (!nextSeen) {
      nextSeen = true;
      return { step, state: 'next' };
    }
    return { step, state: approved ? 'done' : 'waiting' };
  });
}

export function nextStep(required: readonly ApprovalStepName[], decisions: readonly Decision[]): ApprovalStepName | null {
  return chainState(required, decisions).find((s) => s.state === 'next')?.step ?? null;
}

/**
 * Why a user may not decide a step of a version, or null when they may. Roles are the caller's
 * business (policy); these are the rules of the chain itself: the author of a version never approves
 * it, and one person decides at most one step of a round (no one approves twice under two hats).
 */
export function selfApprovalProblem(userId: string, createdByUserId: string | null, decisions: readonly Decision[]): string | null {
  if (createdByUserId === userId) return 'the author of a version cannot approve or reject it';
  if (decisions.some((d) => d.decidedByUserId === userId)) return 'you already decided a step of this round; another person decides this one';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Differences between two documents

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : JSON.stringify(v));
const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`);

function changed(path: string, from: unknown, to: unknown): PlanChange {
  return { path, change: 'changed', from, to, text: `${path}: ${show(from)} -> ${show(to)}` };
}

function walk(a: unknown, b: unknown, path: string, out: PlanChange[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) {
      const p = join(path, k);
      if (!(k in b)) out.push({ path: p, change: 'removed', from: a[k], to: null, text: `${p}: removed (was ${show(a[k])})` });
      else if (!(k in a)) out.push({ path: p, change: 'added', from: null, to: b[k], text: `${p}: added ${show(b[k])}` });
      else walk(a[k], b[k], p, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const primitive = (xs: unknown[]) => xs.every((x) => x === null || typeof x !== 'object');
    if (primitive(a) && primitive(b)) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push(changed(path, a, b));
      return;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i += 1) {
      const p = join(path, i);
      if (i >= b.length) out.push({ path: p, change: 'removed', from: a[i], to: null, text: `${p}: removed (was ${show(a[i])})` });
      else if (i >= a.length) out.push({ path: p, change: 'added', from: null, to: b[i], text: `${p}: added ${show(b[i])}` });
      else walk(a[i], b[i], p, out);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(changed(path, a, b));
}

type Keyed = { key: string; kind: string; name: string } & Record<string, unknown>;

/**
 * What changed from one plan document to another, one readable line per leaf: components are
 * matched by key (components.partner_sourced_kicker.capMinor: 500000 -> 750000), added and removed
 * components are one line each, and a new component order is one line.
 */
export function diffPlans(from: PlanDocument, to: PlanDocument): PlanChange[] {
  const out: PlanChange[] = [];
  const { components: ca, ...restA } = from;
  const { components: cb, ...restB } = to;
  walk(restA, restB, '', out);
  const a = ca as unknown as Keyed[];
  const b = cb as unknown as Keyed[];
  const inB = new Map(b.map((c) => [c.key, c]));
  const inA = new Map(a.map((c) => [c.key, c]));
  for (const c of a) {
    const p = `components.${c.key}`;
    const other = inB.get(c.key);
    if (!other) out.push({ path: p, change: 'removed', from: c, to: null, text: `${p}: removed ${c.kind} component "${c.name}"` });
    else walk(c, other, p, out);
  }
  for (const c of b) {
    if (inA.has(c.key)) continue;
    const p = `components.${c.key}`;
    out.push({ path: p, change: 'added', from: null, to: c, text: `${p}: added ${c.kind} component "${c.name}"` });
  }
  const orderA = a.map((c) => c.key).filter((k) => inB.has(k));
  const orderB = b.map((c) => c.key).filter((k) => inA.has(k));
  if (orderA.join('\n') !== orderB.join('\n'))
    out.push({ path: 'components', change: 'changed', from: orderA, to: orderB, text: `components order: ${orderA.join(', ')} -> ${orderB.join(', ')}` });
  return out;
}
