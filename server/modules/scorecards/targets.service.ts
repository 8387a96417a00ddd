import type { z } from 'zod';
import type {
  EffectiveTargetsResponse,
  ScorecardTargetInput,
  ScorecardTargetView,
  setScorecardTargetsRequest,
  TargetImportCommit,
  TargetImportReport,
  TargetSubjectKind,
} from '../../../common/api/scorecard-targets.ts';
import { safeCsv } from '../../../common/csv-export.ts';
import type { ProblemIssue } from '../../../common/errors.ts';
import type { MetricDefinition, SubjectKind } from '../../../common/scorecards/metric.ts';
import { defaultTierRules } from '../../../common/scorecards/tier-rules.ts';
import { rollUpChains, scorecardDefinition, type ScorecardDefinition } from '../../../common/scorecards/scorecard.ts';
import { actorLabel, isPartnerActor, scopeOf, type Actor } from '../../actor.ts';
import { applyScope } from '../../db/scope.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findDefinition } from './metrics.service.ts';
import { canManageScorecards, canReadAllScores, isPartnerUser } from './scorecards.policy.ts';
import * as repo from './targets.repository.ts';
import {
  csvColumnOf,
  parseTargetCsv,
  resolveSubjectTargets,
  targetKindsFor,
  targetSourceOf,
  targetProblems,
  type MetricFactsForTarget,
  type SubjectTargets,
  type TargetCsvIssue,
} from './targets.rules.ts';

/**
 * Per-subject targets (docs/scorecards.md, "Per-subject targets"): set through the API or a CSV
 * file, validated against the scorecard's rows and the subjects that exist, and applied by the
 * scoring through `subjectTargetsFor`.
 */

function mustRead(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Scorecard');
  if (!canReadAllScores(actor)) throw new AppError('forbidden', 'Scorecard targets are read by the programme, channel, compensation and executive roles');
}

function mustManage(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Scorecard');
  if (!canManageScorecards(actor)) throw new AppError('forbidden', 'Only the programme lead and administrators change scorecard targets');
}

function toView(r: Awaited<ReturnType<typeof repo.listTargets>>[number]): ScorecardTargetView {
  return {
    id: r.scorecardTargetId,
    metric: r.metric,
    subjectKind: r.subjectKind,
    subjectId: r.subjectId,
    subjectLabel: r.subjectLabel,
    target: r.target,
    redFlag: r.redFlag,
    note: r.note,
    updatedBy: r.updatedBy,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

async function scorecardOf(trx: Trx, key: string): Promise<{ id: string; definition: ScorecardDefinition }> {
  const row = await repo.findScorecardByKey(trx, key);
  if (!row) throw notFound('Scorecard');
  // Stored definitions were checked when saved; one that a tightened model no longer reads is read as saved.
  const parsed = scorecardDefinition.safeParse(row.definition);
  return { id: row.scorecardId, definition: parsed.success ? parsed.data : (row.definition as ScorecardDefinition) };
}

type Checked = { ok: repo.TargetWrite[]; issues: { index: number; path: string; message: string }[] };

/** Checks targets against the scorecard and resolves the subjects they name (in bulk). */
async function checkTargets(trx: Trx, definition: ScorecardDefinition, targets: readonly ScorecardTargetInput[]): Promise<Checked> {
  const kinds = targetKindsFor(rollUpChains[definition.subjectKind]);
  const rowMetrics = definition.rows.map((r) => r.metric);
  const metrics = new Map<string, MetricFactsForTarget>();
  for (const key of rowMetrics) {
    const m = (await findDefinition(trx, key))?.definition;
    if (m) metrics.set(key, { name: m.name, unit: m.unit, direction: m.direction });
  }
  const named = (k: readonly TargetSubjectKind[]) => [...new Set(targets.filter((t) => k.includes(t.subjectKind)).map((t) => t.subject))];
  const [participants, partners, groups, tiers] = await Promise.all([
    repo.participantsNamed(trx, named(['seller', 'manager'])),
    repo.partnersNamed(trx, named(['partner'])),
    targets.some((t) => t.subjectKind === 'team' || t.subjectKind === 'unit')
      ? repo.teamsAndUnits(trx)
      : { teams: new Set<string>(), units: new Set<string>() },
    targets.some((t) => t.subjectKind === 'partner_tier') ? repo.tierKeys(trx) : new Set<string>(),
  ]);
  for (const t of defaultTierRules.tiers) tiers.add(t.key);
  const participantBy = new Map<string, string>();
  for (const p of participants) {
    participantBy.set(p.compParticipantId, p.compParticipantId);
    participantBy.set(p.externalRef, p.compParticipantId);
  }
  const partnerBy = new Map<string, string>();
  for (const p of partners) {
    partnerBy.set(p.partnerId, p.partnerId);
    partnerBy.set(p.name.toLowerCase(), p.partnerId);
  }

  const out: Checked = { ok: [], issues: [] };
  const seen = new Map<string, number>();
  targets.forEach((t, index) => {
    const problems: ProblemIssue[] = targetProblems(t, { kinds, metricOf: (k) => metrics.get(k), rowMetrics });
    let subjectId: string | undefined;
    switch (t.subjectKind) {
      case 'seller':
      case 'manager':
        subjectId = participantBy.get(t.subject);
        if (!subjectId) problems.push({ path: 'subject', message: `no participant has the id or reference "${t.subject}"` });
        break;
      case 'partner':
        subjectId = partnerBy.get(t.subject) ?? partnerBy.get(t.subject.toLowerCase());
        if (!subjectId) problems.push({ path: 'subject', message: `no partner has the id or name "${t.subject}"` });
        break;
      case 'team':
      case 'unit': {
        const set = t.subjectKind === 'team' ? groups.teams : groups.units;
        subjectId = set.has(t.subject) ? t.subject : undefined;
        if (!subjectId) problems.push({ path: 'subject', message: `no participant is in the ${t.subjectKind} "${t.subject}"` });
        break;
      }
      case 'partner_tier':
        subjectId = tiers.has(t.subject) ? t.subject : undefined;
        if (!subjectId) problems.push({ path: 'subject', message: `"${t.subject}" is not a tier (${[...tiers].sort().join(', ')})` });
        break;
      case 'programme':
        subjectId = t.subject === 'programme' ? 'programme' : undefined;
        if (!subjectId) problems.push({ path: 'subject', message: 'the programme subject is "programme"' });
        break;
    }
    if (subjectId) {
      const key = `${t.metric}\u0000${t.subjectKind}\u0000${subjectId}`;
      const first = seen.get(key);
      if (first !== undefined) problems.push({ path: 'subject', message: `the same subject and metric as target ${first + 1}` });
      else seen.set(key, index);
    }
    if (problems.length || !subjectId) out.issues.push(...problems.map((p) => ({ index, ...p })));
    else out.ok.push({ metric: t.metric, subjectKind: t.subjectKind, subjectId, target: t.target, redFlag: t.redFlag, note: t.note });
  });
  return out;
}

export async function listScorecardTargets(deps: Deps, actor: Actor, key: string): Promise<ScorecardTargetView[]> {
  mustRead(actor);
  return inTransaction(deps, actor, async (trx) => (await repo.listTargets(trx, (await scorecardOf(trx, key)).id)).map(toView));
}

/** Saves targets all together or not at all (each problem names its target and field). */
export async function setScorecardTargets(
  deps: Deps,
  actor: Actor,
  key: string,
  input: z.output<typeof setScorecardTargetsRequest>,
): Promise<ScorecardTargetView[]> {
  mustManage(actor);
  return inTransaction(deps, actor, async (trx) => {
    const card = await scorecardOf(trx, key);
    const c = await checkTargets(trx, card.definition, input.targets);
    if (c.issues.length) {
      const n = c.issues.length;
      throw new AppError('validation_failed', `The targets have ${n} problem${n === 1 ? '' : 's'}`, {
        issues: c.issues.map((i) => ({ path: `body.targets[${i.index}].${i.path}`, message: i.message })),
      });
    }
    const written = await repo.upsertTargets(trx, card.id, c.ok, {
      label: actorLabel(actor),
      userId: actor.kind === 'user' ? actor.userId : null,
      now: deps.clock.now(),
    });
    await recordAudit(trx, deps, actor, { action: 'scorecard.targets.set', entityType: 'scorecard', entityId: card.id, after: { targets: c.ok, written } });
    return (await repo.listTargets(trx, card.id)).map(toView);
  });
}

export async function deleteScorecardTarget(deps: Deps, actor: Actor, key: string, id: string): Promise<void> {
  mustManage(actor);
  await inTransaction(deps, actor, async (trx) => {
    const card = await scorecardOf(trx, key);
    const before = await repo.findTarget(trx, card.id, id);
    if (!before) throw notFound('Target');
    await repo.deleteTarget(trx, id);
    await recordAudit(trx, deps, actor, { action: 'scorecard.targets.delete', entityType: 'scorecard_target', entityId: id, before });
  });
}

/** Imports targets from CSV: the good rows are saved, every other one is reported by line and column. */
export async function importScorecardTargetsCsv(
  deps: Deps,
  actor: Actor,
  key: string,
  csv: string,
  commit: TargetImportCommit = 'good_rows',
): Promise<TargetImportReport> {
  mustManage(actor);
  const parsed = parseTargetCsv(csv);
  return inTransaction(deps, actor, async (trx) => {
    const card = await scorecardOf(trx, key);
    const c = await checkTargets(trx, card.definition, parsed.rows);
    const issues: TargetCsvIssue[] = [
      ...parsed.issues,
      ...c.issues.map((i) => ({ line: parsed.rows[i.index]?.line ?? 0, column: csvColumnOf(i.path), message: i.message })),
    ].sort((a, b) => a.line - b.line);
    const committed = commit === 'good_rows' || (commit === 'all_or_nothing' && issues.length === 0);
    const saved = committed
      ? await repo.upsertTargets(trx, card.id, c.ok, {
          label: actorLabel(actor),
          userId: actor.kind === 'user' ? actor.userId : null,
          now: deps.clock.now(),
        })
      : 0;
    const report: TargetImportReport = {
      rows: parsed.total,
      good: c.ok.length,
      committed,
      saved,
      unchanged: committed ? c.ok.length - saved : 0,
      rejected: new Set(issues.map((i) => i.line)).size,
      issues,
    };
    await recordAudit(trx, deps, actor, {
      action: 'scorecard.targets.import',
      entityType: 'scorecard',
      entityId: card.id,
      after: { commit, committed, rows: report.rows, good: report.good, saved: report.saved, unchanged: report.unchanged, rejected: report.rejected },
    });
    return report;
  });
}

/**
 * The lookup the scoring applies: for one scorecard (its id) and one roll-up level, subject ->
 * metric -> target, for the subjects that have a target of their own (or, for partners, of their
 * tier). Imports nothing of scorecards.service.ts, so that file may call it without a cycle.
 */
export async function subjectTargetsFor(trx: Trx, scorecardId: string, level: SubjectKind, subjectIds: readonly string[]): Promise<SubjectTargets> {
  if (subjectIds.length === 0) return new Map();
  const kinds: TargetSubjectKind[] = level === 'partner' ? ['partner', 'partner_tier'] : [level];
  const stored = await repo.storedTargets(trx, scorecardId, kinds);
  if (stored.length === 0) return new Map();
  const tiers =
    level === 'partner' && stored.some((s) => s.subjectKind === 'partner_tier') ? await repo.partnerTiers(trx, subjectIds) : new Map<string, string>();
  return resolveSubjectTargets(stored, level, subjectIds, tiers);
}

/** The current targets as a CSV file in the import's format (plus `subject_label`, which an import ignores). */
export async function exportScorecardTargetsCsv(deps: Deps, actor: Actor, key: string): Promise<string> {
  const rows = await listScorecardTargets(deps, actor, key);
  return safeCsv(
    ['metric', 'subject_kind', 'subject', 'subject_label', 'target', 'red_flag', 'note'],
    rows.map((r) => [r.metric, r.subjectKind, r.subjectId, r.subjectLabel, r.target, r.redFlag, r.note]),
  );
}

/**
 * Which target and red flag applied to each metric row of a scorecard for some subjects of one
 * roll-up level, and why: the subject's own target, its partner tier's, or the scorecard default.
 * Resolved by `resolveSubjectTargets`, the function the scoring applies (subjectTargetsFor), over
 * the same stored targets. Targets have no dates: this is what a computation made now applies.
 *
 * Partner users may ask about their own organisation only, on a partner scorecard published to
 * partners; anything else is 404 (never saying whether it exists). Their own partner row is read
 * under their row-level security first: a subject it does not show is not theirs.
 */
export async function effectiveTargets(
  deps: Deps,
  actor: Actor,
  key: string,
  q: { level?: SubjectKind | undefined; subject: readonly string[] },
): Promise<EffectiveTargetsResponse> {
  const partner = isPartnerActor(actor);
  if (!partner && !canReadAllScores(actor))
    throw new AppError('forbidden', 'Scorecard targets are read by the programme, channel, compensation and executive roles');
  if (partner && deps.isolationChecks && (q.subject.some((s) => s !== actor.partnerId) || (q.level !== undefined && q.level !== 'partner')))
    throw notFound('Scorecard');
  return inTransaction(deps, actor, async (trx) => {
    if (!partner) return resolveEffective(trx, key, q.level, q.subject);
    const visible = await repo.partnerTiers(trx, q.subject);
    if (q.subject.some((s) => !visible.has(s))) throw notFound('Scorecard');
    // Scorecards, the metric library and targets are internal tables: read in the system scope,
    // for the partner's own row only, then back to the partner's scope.
    await applyScope(trx, { kind: 'system' });
    let out: EffectiveTargetsResponse;
    try {
      out = await resolveEffective(trx, key, 'partner', q.subject, (d) => d.subjectKind === 'partner' && d.audiences.some((a) => a.kind === 'partners'));
    } catch (e) {
      await applyScope(trx, scopeOf(actor)).catch(() => undefined);
      throw e;
    }
    await applyScope(trx, scopeOf(actor));
    return out;
  });
}

async function resolveEffective(
  trx: Trx,
  key: string,
  askedLevel: SubjectKind | undefined,
  subjectIds: readonly string[],
  visibleTo: (d: ScorecardDefinition) => boolean = () => true,
): Promise<EffectiveTargetsResponse> {
  const card = await scorecardOf(trx, key);
  if (!visibleTo(card.definition)) throw notFound('Scorecard');
  const levels = rollUpChains[card.definition.subjectKind];
  const level = askedLevel ?? card.definition.subjectKind;
  if (!levels.includes(level))
    throw new AppError('validation_failed', `${card.definition.name} rolls up to ${levels.join(', ')}`, {
      issues: [{ path: 'query.level', message: `one of ${levels.join(', ')}` }],
    });
  const [stored, tiers, labels] = await Promise.all([
    repo.targetsForSubjects(
      trx,
      card.id,
      card.definition.rows.map((r) => r.metric),
      level,
      subjectIds,
    ),
    level === 'partner' ? repo.partnerTiers(trx, subjectIds) : new Map<string, string>(),
    repo.subjectLabels(trx, level, subjectIds),
  ]);
  const applied = resolveSubjectTargets(stored, level, subjectIds, tiers);
  const rows: { row: ScorecardDefinition['rows'][number]; m: MetricDefinition | undefined }[] = [];
  for (const row of card.definition.rows) rows.push({ row, m: (await findDefinition(trx, row.metric))?.definition });
  return {
    scorecard: key,
    level,
    subjects: subjectIds.map((subjectId) => {
      const subjectLabel = labels.get(subjectId) ?? subjectId;
      const own = applied.get(subjectId);
      return {
        subjectId,
        subjectLabel,
        tier: tiers.get(subjectId) ?? null,
        metrics: rows.map(({ row, m }) => {
          const a = own?.get(row.metric);
          return {
            metric: row.metric,
            name: m?.name ?? row.metric,
            unit: m?.unit ?? 'number',
            currency: m?.currency ?? null,
            direction: m?.direction ?? 'higher_is_better',
            applicable: m ? m.subjectKinds.includes(level) : false,
            target: a?.target ?? row.target,
            redFlag: a?.redFlag ?? row.redFlag,
            ...targetSourceOf(a, subjectLabel),
            targetId: a?.from.scorecardTargetId ?? null,
            note: a?.from.note ?? '',
            defaultTarget: row.target,
            defaultRedFlag: row.redFlag,
          };
        }),
      };
    }),
  };
}
