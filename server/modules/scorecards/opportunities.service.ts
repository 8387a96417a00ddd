import type { OpportunityImportReport } from '../../../common/api/scorecards.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { createParticipant, updateParticipant } from '../comp-plans/comp-plans.service.ts';
import { countNotes, MAVEN_CURRENCY, MAVEN_SOURCE, mavenNoteKinds, planMavenImport, type MavenSeller, type MavenTexts } from './maven-import.rules.ts';
import * as repo from './opportunities.repository.ts';
import { canImportOpportunities, isPartnerUser } from './scorecards.policy.ts';

const CHUNK = 1000;

function mustImport(actor: Actor): void {
  if (isPartnerUser(actor)) throw notFound('Opportunities');
  if (!canImportOpportunities(actor)) throw new AppError('forbidden', 'Only administrators and compensation administrators import opportunities');
}

type ExistingSeller = Awaited<ReturnType<typeof repo.participantsByRef>>[number];

function sellerChanges(s: MavenSeller, managerId: string | null, have: ExistingSeller) {
  const patch: { displayName?: string; managerId?: string | null; team?: string | null; unit?: string | null; territory?: string | null } = {};
  if (have.displayName !== s.displayName) patch.displayName = s.displayName;
  if (have.managerParticipantId !== managerId) patch.managerId = managerId;
  if (have.team !== s.team) patch.team = s.team;
  if (have.unit !== s.unit) patch.unit = s.unit;
  if (have.territory !== s.territory) patch.territory = s.territory;
  return patch;
}

/**
 * Imports the Maven CRM files (already read as text): sellers and managers become comp participants
 * (created and updated through the comp-plans service, matched by external reference), then every
 * accepted opportunity is inserted or updated in one transaction with one audit entry. Running it
 * again changes nothing and adds nothing. The report lists every irregular value and every rejected
 * row with file, line and reason, and counts them per kind.
 */
export async function importMavenCrm(deps: Deps, actor: Actor, texts: MavenTexts): Promise<OpportunityImportReport> {
  mustImport(actor);
  const plan = planMavenImport(texts);

  // Sellers: managers come first in the plan, so a manager's id is known before their reports.
  const refs = plan.sellers.map((s) => s.externalRef);
  const existing = await inTransaction(deps, actor, (trx) => repo.participantsByRef(trx, refs));
  const byRef = new Map(existing.map((p) => [p.externalRef, p]));
  const idByRef = new Map(existing.map((p) => [p.externalRef, p.compParticipantId]));
  const sellers = { created: 0, updated: 0, unchanged: 0 };
  for (const s of plan.sellers) {
    const managerId = s.managerRef === null ? null : (idByRef.get(s.managerRef) ?? null);
    const have = byRef.get(s.externalRef);
    if (!have) {
      const created = await createParticipant(deps, actor, {
        externalRef: s.externalRef,
        displayName: s.displayName,
        email: null,
        appUserId: null,
        managerId,
        team: s.team,
        unit: s.unit,
        territory: s.territory,
        activeFrom: null,
        activeTo: null,
      });
      idByRef.set(s.externalRef, created.id);
      sellers.created += 1;
      continue;
    }
    const patch = sellerChanges(s, managerId, have);
    if (Object.keys(patch).length === 0) sellers.unchanged += 1;
    else {
      await updateParticipant(deps, actor, have.compParticipantId, patch);
      sellers.updated += 1;
    }
  }

  const rejected = plan.notes.filter((n) => mavenNoteKinds[n.kind].outcome === 'rejected' && n.file.endsWith('sales_pipeline.csv')).length;
  const totals = await inTransaction(deps, actor, async (trx) => {
    const now = deps.clock.now();
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < plan.opportunities.length; i += CHUNK) {
      const rows = plan.opportunities.slice(i, i + CHUNK).map((o) => {
        const sellerParticipantId = idByRef.get(o.sellerRef);
        if (!sellerParticipantId) throw new Error(`seller ${o.sellerRef} was not created`);
        return {
          opportunityId: newId(),
          source: MAVEN_SOURCE,
          externalId: o.externalId,
          sellerParticipantId,
          accountName: o.accountName,
          product: o.product,
          stage: o.stage,
          engageOn: o.engageOn,
          closeOn: o.closeOn,
          valueMinor: o.valueMinor,
          currency: MAVEN_CURRENCY,
        };
      });
      const r = await repo.upsertOpportunities(trx, rows, now);
      inserted += r.inserted;
      updated += r.updated;
    }
    const counts = { inserted, updated, unchanged: plan.opportunities.length - inserted - updated, rejected };
    await recordAudit(trx, deps, actor, {
      action: 'opportunity.import',
      entityType: 'opportunity_import',
      entityId: null,
      after: { source: MAVEN_SOURCE, pipelineRows: plan.pipelineRows, sellers, opportunities: counts, notes: countNotes(plan.notes) },
    });
    return counts;
  });

  return {
    source: MAVEN_SOURCE,
    pipelineRows: plan.pipelineRows,
    teamRows: plan.teamRows,
    sellers,
    opportunities: totals,
    counts: countNotes(plan.notes),
    kinds: Object.fromEntries(Object.entries(mavenNoteKinds).map(([k, v]) => [k, { outcome: v.outcome, label: v.label }])),
    notes: plan.notes,
  };
}
