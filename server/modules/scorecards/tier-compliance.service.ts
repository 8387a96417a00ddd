import type { z } from 'zod';
import type {
  MyTierCompliance,
  PartnerAttributeView,
  PartnerComplianceView,
  savePartnerAttributesRequest,
  TierComplianceList,
  tierComplianceQuery,
  TierRulesView,
} from '../../../common/api/scorecard-tiers.ts';
import { dateOf } from '../../../common/dates.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import type { MetricDefinition } from '../../../common/scorecards/metric.ts';
import {
  aggregateWindow,
  checkTierRules,
  defaultTierRules,
  evaluateTierCompliance,
  tierIndex,
  trailingWindow,
  type MetricFacts,
  type RequirementFacts,
  type TierRequirement,
  type TierRules,
} from '../../../common/scorecards/tier-rules.ts';
import { actorLabel, systemActor, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { computeMetric } from './metrics.repository.ts';
import { findDefinition, listMetrics } from './metrics.service.ts';
import { canLogForOthers, canReadAllScores, isPartnerUser } from './scorecards.policy.ts';
import * as repo from './tier-compliance.repository.ts';

const RULES_KEY = 'default';

/** Programme lead, channel managers and administrators keep the tier rules and the recorded figures. */
function mustManage(actor: Actor, what: string): void {
  if (isPartnerUser(actor)) throw notFound('Tier rules');
  if (!canLogForOthers(actor)) throw new AppError('forbidden', `Only the programme lead, channel managers and administrators change ${what}`);
}

function mustReadAll(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Tier compliance');
  if (!canReadAllScores(actor)) throw new AppError('forbidden', 'Tier compliance of every partner is read by the programme, channel and executive roles');
}

function storedRules(raw: unknown): TierRules {
  // Saved rules were checked when saved; a model that has since tightened still reads them as saved.
  const c = checkTierRules(raw, () => undefined);
  return c.ok ? c.rules : (raw as TierRules);
}

async function loadRules(trx: Trx): Promise<{ rules: TierRules; row: Awaited<ReturnType<typeof repo.findRules>> }> {
  const row = await repo.findRules(trx, RULES_KEY);
  return { rules: row ? storedRules(row.rules) : defaultTierRules, row };
}

function metricFacts(d: MetricDefinition): MetricFacts {
  return { key: d.key, name: d.name, unit: d.unit, subjectKinds: d.subjectKinds, currency: d.currency, measure: { kind: d.measure.kind } };
}

export async function getTierRules(deps: Deps, actor: Actor): Promise<TierRulesView> {
  mustReadAll(actor);
  return inTransaction(deps, actor, async (trx) => {
    const { rules, row } = await loadRules(trx);
    return { rules, stored: row !== undefined, updatedAt: row ? new Date(row.updatedAt).toISOString() : null, updatedBy: row?.updatedBy ?? null };
  });
}

export async function saveTierRules(deps: Deps, actor: Actor, raw: unknown): Promise<TierRulesView> {
  mustManage(actor, 'the tier rules');
  const library = new Map((await listMetrics(deps, actor)).map((m) => [m.key, metricFacts(m.definition)]));
  const c = checkTierRules(raw, (k) => library.get(k));
  if (!c.ok) throw invalid('The tier rules', c.issues);
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findRules(trx, RULES_KEY);
    await repo.saveRules(trx, {
      key: RULES_KEY,
      rules: c.rules,
      updatedBy: actorLabel(actor),
      updatedByUserId: actor.kind === 'user' ? actor.userId : null,
      now: deps.clock.now(),
    });
    await recordAudit(trx, deps, actor, {
      action: 'partner_tier_rules.save',
      entityType: 'partner_tier_rules',
      entityId: RULES_KEY,
      before: before?.rules ?? null,
      after: c.rules,
    });
    const row = await repo.findRules(trx, RULES_KEY);
    return { rules: c.rules, stored: true, updatedAt: row ? new Date(row.updatedAt).toISOString() : null, updatedBy: row?.updatedBy ?? null };
  });
}

function invalid(what: string, issues: ProblemIssue[]): AppError {
  const n = issues.length;
  return new AppError('validation_failed', `${what} ha${n === 1 ? 's 1 problem' : `ve ${n} problems`}`, {
    issues: issues.map((i) => ({ ...i, path: `body.${i.path}` })),
  });
}

export async function savePartnerAttributes(
  deps: Deps,
  actor: Actor,
  partnerId: string,
  input: z.output<typeof savePartnerAttributesRequest>,
): Promise<PartnerAttributeView[]> {
  mustManage(actor, "partners' recorded figures");
  return inTransaction(deps, actor, async (trx) => {
    if (!(await repo.partnerExists(trx, partnerId))) throw notFound('Partner');
    const { rules } = await loadRules(trx);
    const declared = new Set(rules.attributes.map((a) => a.key));
    const issues: ProblemIssue[] = [];
    const seen = new Set<string>();
    input.values.forEach((v, i) => {
      if (!declared.has(v.key)) issues.push({ path: `body.values[${i}].key`, message: `"${v.key}" is not an attribute of the tier rules` });
      if (seen.has(v.key)) issues.push({ path: `body.values[${i}].key`, message: `"${v.key}" is given twice` });
      seen.add(v.key);
      const unit = rules.attributes.find((a) => a.key === v.key)?.unit;
      if (unit === 'count' && !Number.isInteger(v.value)) issues.push({ path: `body.values[${i}].value`, message: 'a count is a whole number' });
      if (unit === 'ratio' && v.value > 1) issues.push({ path: `body.values[${i}].value`, message: 'a ratio is a fraction between 0 and 1' });
    });
    if (issues.length) throw new AppError('validation_failed', 'The recorded figures do not fit the tier rules', { issues });
    const today = dateOf(deps.clock.now());
    const before = (await repo.listAttributes(trx, [partnerId])).filter((a) => seen.has(a.key));
    const rows = input.values.map((v) => ({ partnerId, key: v.key, value: v.value, note: v.note, recordedOn: v.recordedOn ?? today }));
    await repo.upsertAttributes(trx, rows, { label: actorLabel(actor), userId: actor.kind === 'user' ? actor.userId : null, now: deps.clock.now() });
    await recordAudit(trx, deps, actor, {
      action: 'partner_attribute.record',
      entityType: 'partner',
      entityId: partnerId,
      partnerId,
      before,
      after: rows,
    });
    return attributeViews(rules, await repo.listAttributes(trx, [partnerId]));
  });
}

type AttributeRow = Awaited<ReturnType<typeof repo.listAttributes>>[number];

function attributeViews(rules: TierRules, rows: readonly AttributeRow[]): PartnerAttributeView[] {
  const names = new Map(rules.attributes.map((a) => [a.key, a.name]));
  return rows.map((r) => ({ key: r.key, name: names.get(r.key) ?? r.key, value: r.value, note: r.note, recordedOn: r.recordedOn, updatedBy: r.updatedBy }));
}

type MetricNeed = { metric: string; windowMonths: number };
const needKey = (n: MetricNeed) => `${n.metric}|${n.windowMonths}`;

/**
 * Every metric requirement of the rules, computed once per (metric, window) for the partners asked:
 * one metric-compiler statement each, by month over the trailing window, re-aggregated here.
 * Runs in the caller's transaction, whose scope must see the opportunities and activities.
 */
async function metricFigures(
  trx: Trx,
  rules: TierRules,
  asOf: string,
  partnerIds: readonly string[],
): Promise<{ values: Map<string, Map<string, number | null>>; facts: Map<string, RequirementFacts> }> {
  const needs = new Map<string, MetricNeed>();
  for (const t of rules.tiers)
    for (const r of t.requirements) if (r.kind === 'metric') needs.set(needKey(r), { metric: r.metric, windowMonths: r.windowMonths });
  const values = new Map<string, Map<string, number | null>>();
  const facts = new Map<string, RequirementFacts>();
  for (const [k, need] of needs) {
    const found = await findDefinition(trx, need.metric);
    const perPartner = new Map<string, number | null>();
    values.set(k, perPartner);
    if (!found) continue;
    const def = found.definition;
    facts.set(need.metric, { unit: def.unit, currency: def.currency, source: def.key });
    const kind = def.measure.kind;
    if ((kind !== 'count' && kind !== 'sum' && kind !== 'ratio') || !def.subjectKinds.includes('partner') || partnerIds.length === 0) continue;
    const { from, to } = trailingWindow(asOf, need.windowMonths);
    const rows = await computeMetric(trx, def, { subjectKind: 'partner', grain: 'month', from, to, subjectIds: partnerIds, currency: def.currency });
    const bySubject = Map.groupBy(rows, (r) => r.subjectId);
    for (const id of partnerIds) perPartner.set(id, aggregateWindow(kind, bySubject.get(id) ?? []));
  }
  return { values, facts };
}

function complianceOf(
  rules: TierRules,
  partner: { partnerId: string; name: string; tier: string },
  attributes: readonly AttributeRow[],
  figures: Awaited<ReturnType<typeof metricFigures>>,
): PartnerComplianceView {
  const own = attributes.filter((a) => a.partnerId === partner.partnerId);
  const attrValue = new Map(own.map((a) => [a.key, a.value]));
  const attrUnit = new Map(rules.attributes.map((a) => [a.key, a.unit]));
  const actualOf = (r: TierRequirement): number | null =>
    r.kind === 'attribute' ? (attrValue.get(r.attribute) ?? null) : (figures.values.get(needKey(r))?.get(partner.partnerId) ?? null);
  const factsOf = (r: TierRequirement): RequirementFacts =>
    r.kind === 'attribute'
      ? { unit: attrUnit.get(r.attribute) ?? 'number', currency: null, source: r.attribute }
      : (figures.facts.get(r.metric) ?? { unit: 'number', currency: null, source: r.metric });
  const c = evaluateTierCompliance(rules, partner.tier, actualOf, factsOf);
  return { partnerId: partner.partnerId, partnerName: partner.name, tier: partner.tier, ...c, attributes: attributeViews(rules, own) };
}

export async function listTierCompliance(deps: Deps, actor: Actor, q: z.output<typeof tierComplianceQuery>): Promise<TierComplianceList> {
  mustReadAll(actor);
  const asOf = q.asOf ?? dateOf(deps.clock.now());
  return inTransaction(deps, actor, async (trx) => {
    const { rules } = await loadRules(trx);
    let partners = await repo.listPartners(trx);
    if (q.tier !== undefined) {
      const wanted = tierIndex(rules, q.tier);
      partners = partners.filter((p) => (wanted >= 0 ? tierIndex(rules, p.tier) === wanted : p.tier.toLowerCase() === q.tier!.toLowerCase()));
    }
    const ids = partners.map((p) => p.partnerId);
    const [attributes, figures] = [await repo.listAttributes(trx, ids), await metricFigures(trx, rules, asOf, ids)];
    let items = partners.map((p) => complianceOf(rules, p, attributes, figures));
    if (q.atRisk !== undefined) items = items.filter((i) => i.atRisk === (q.atRisk === 'true'));
    return { asOf, rulesName: rules.name, tiers: rules.tiers.map((t) => ({ key: t.key, name: t.name })), items };
  });
}

/**
 * A partner user's own compliance. The partner row, the rules and its recorded figures are read in
 * the partner's own scope (RLS: its rows only). The metric figures come from opportunities and
 * activities, which the partner scope cannot read: they are computed in a system transaction for
 * this one partner id and no other (the subject filter is the partner's id from its session).
 */
export async function myTierCompliance(deps: Deps, actor: Actor, q: { asOf?: string | undefined }): Promise<MyTierCompliance> {
  if (actor.kind !== 'user' || actor.partnerId === null) throw notFound('Tier compliance');
  const partnerId = actor.partnerId;
  const asOf = q.asOf ?? dateOf(deps.clock.now());
  const { rules, partner, attributes } = await inTransaction(deps, actor, async (trx) => {
    const { rules } = await loadRules(trx);
    const [p] = await repo.listPartners(trx, [partnerId]);
    return { rules, partner: p, attributes: await repo.listAttributes(trx, [partnerId]) };
  });
  if (!partner || partner.partnerId !== partnerId) throw notFound('Partner');
  const figures = await inTransaction(deps, systemActor('tier-compliance', actor.requestId), (trx) => metricFigures(trx, rules, asOf, [partnerId]));
  return { asOf, rulesName: rules.name, compliance: complianceOf(rules, partner, attributes, figures) };
}
