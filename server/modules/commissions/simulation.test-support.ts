import fs from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { transactionRowInput } from '../../../common/api/commissions-transactions.ts';
import { parsePlanFile } from '../../../common/comp/plan-file.ts';
import type { PlanDocumentInput } from '../../../common/comp/plan.ts';
import { parseSimulationPeriod } from '../../../common/comp/simulate.ts';
import { parseMajorAmount } from '../../../common/money.ts';
import type { UserActor } from '../../actor.ts';
import type { Deps } from '../../deps.ts';
import { approveStep, createParticipant, createPlan, publishVersion, submitForApproval, upsertQuotas } from '../comp-plans/comp-plans.service.ts';
import { makeUser } from '../../test/harness.ts';
import type { Role } from '../../../common/roles.ts';
import { createTransactions } from './transactions.service.ts';

/**
 * The demo history of docs/examples/comp-plans (the files `realign comp simulate --help` names),
 * put into the store through the services: participants, quotas, the two example plans published
 * (renewal-centred 2026 is the current plan, channel-friendly 2027 the candidate) and the
 * transactions. `extraRows` adds transactions (canonical columns, as text).
 */

const demo = (file: string) => new URL(`../../../docs/examples/comp-plans/${file}`, import.meta.url);
type Cells = Record<string, string>;

async function readCsvFile(file: string): Promise<Cells[]> {
  return parseCsv<Cells>(await fs.readFile(demo(file), 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
}

const blankToNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

async function internalActor(deps: Deps, roles: Role[], displayName: string): Promise<UserActor> {
  const u = await makeUser(deps, { roles, displayName });
  return { kind: 'user', userId: u.id, email: u.email, displayName, partnerId: null, roles, via: 'session', requestId: null };
}

/** A plan version through the approval chain (comp admin review, finance) and published. */
async function publishedPlanVersion(deps: Deps, doc: PlanDocumentInput): Promise<{ planId: string; versionId: string }> {
  const author = await internalActor(deps, ['comp_admin'], 'Demo Author');
  const reviewer = await internalActor(deps, ['comp_admin'], 'Demo Reviewer');
  const finance = await internalActor(deps, ['finance'], 'Demo Finance');
  const v = await createPlan(deps, author, { document: doc });
  await submitForApproval(deps, author, v.id);
  await approveStep(deps, reviewer, v.id, { step: 'comp_admin', comment: '' });
  await approveStep(deps, finance, v.id, { step: 'finance', comment: '' });
  await publishVersion(deps, reviewer, v.id);
  return { planId: v.planId, versionId: v.id };
}

export type DemoHistory = {
  admin: UserActor;
  /** External reference -> participant id. */
  participants: Map<string, string>;
  baselineVersionId: string;
  candidateVersionId: string;
  baselinePlanId: string;
  candidatePlanId: string;
};

export async function seedDemoHistory(
  deps: Deps,
  extraRows: Cells[] = [],
  extraParticipants: { ref: string; name: string; manager?: string }[] = [],
): Promise<DemoHistory> {
  const admin = await internalActor(deps, ['comp_admin'], 'Demo Admin');
  const participants = new Map<string, string>();
  const rows = await readCsvFile('participants.csv');
  // Managers first: a participant names an existing manager.
  const ordered = [...rows.filter((r) => !r.manager), ...rows.filter((r) => r.manager)];
  const all = [
    ...ordered.map((r) => ({
      ref: r.ref ?? '',
      name: r.name ?? '',
      manager: blankToNull(r.manager),
      team: blankToNull(r.team),
      territory: blankToNull(r.territory),
    })),
  ];
  // S3 sells in the demo transactions without being in the participants file.
  all.push({ ref: 'S3', name: 'Sam Stone', manager: null, team: 'West', territory: 'West' });
  for (const p of extraParticipants) all.push({ ref: p.ref, name: p.name, manager: p.manager ?? null, team: null, territory: null });
  for (const p of all) {
    const v = await createParticipant(deps, admin, {
      externalRef: p.ref,
      displayName: p.name,
      email: null,
      appUserId: null,
      managerId: p.manager === null ? null : (participants.get(p.manager) ?? null),
      team: p.team,
      unit: null,
      territory: p.territory,
      activeFrom: null,
      activeTo: null,
    });
    participants.set(p.ref, v.id);
  }

  const quotas = await readCsvFile('quotas.csv');
  await upsertQuotas(deps, admin, {
    rows: quotas.map((q) => {
      const period = parseSimulationPeriod(q.period ?? '');
      if (!period) throw new Error(`demo quota period ${q.period}`);
      const currency = q.currency ?? 'USD';
      return {
        participantId: participants.get(q.participant ?? ''),
        periodStart: period.start,
        periodEnd: period.end,
        amountMinor: parseMajorAmount(q.quota ?? '', currency),
        currency,
      };
    }),
  });

  const planOf = async (file: string): Promise<PlanDocumentInput> => {
    const parsed = parsePlanFile(await fs.readFile(demo(file), 'utf8'), 'yaml');
    if (!('plan' in parsed)) throw new Error(`demo plan ${file} does not parse`);
    return parsed.plan;
  };
  const baseline = await publishedPlanVersion(deps, await planOf('renewal-centred-2026.yaml'));
  const candidate = await publishedPlanVersion(deps, await planOf('channel-friendly-2027.yaml'));

  const transactions = z.array(transactionRowInput).parse([...(await readCsvFile('transactions.csv')), ...extraRows]);
  const batch = await createTransactions(deps, admin, { mode: 'all_or_nothing', rows: transactions });
  if (batch.status !== 'committed') throw new Error(`demo transactions not stored: ${JSON.stringify(batch.problems)}`);
  return {
    admin,
    participants,
    baselineVersionId: baseline.versionId,
    candidateVersionId: candidate.versionId,
    baselinePlanId: baseline.planId,
    candidatePlanId: candidate.planId,
  };
}
