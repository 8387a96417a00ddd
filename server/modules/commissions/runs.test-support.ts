import type { Insertable } from 'kysely';
import { expect } from 'vitest';
import type { CommissionRunView } from '../../../common/api/commissions-runs.ts';
import { PLAN_FORMAT, type PlanDocument, type PlanDocumentInput } from '../../../common/comp/plan.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Trx } from '../../deps.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import * as comp from '../comp-plans/comp-plans.service.ts';
import * as repo from './runs.repository.ts';
import { PERIOD_RUN_JOB } from './runs.service.ts';

/**
 * A period run over a small fixture whose payouts are derived by hand. Plan: EUR, quarterly, one
 * commission of 10% on direct, split and roll-up credit, refunds clawed back in full; partner credit
 * from the plan (full, 1x). Participants: B manages A; C has no login.
 *
 *   T1 2027-02-10  A direct              5,000.00 EUR
 *   T2 2027-03-01  A 60% / C 40% split   1,000.00 EUR  (stored shares 600.00 / 400.00)
 *   T3 2027-03-05  C direct                100.00 USD  at 0.9 (rate from 2027-01-01) = 90.00 EUR
 *   T4 2027-03-20  A credit note          -500.00 EUR  (refunds T1)
 *   T5 2027-05-01  A direct              2,000.00 EUR  (Q2)
 *
 * Q1: A credit 5,000 + 600 = 5,600 -> 560.00; clawback 10% of 500 = -50.00; total 510.00.
 *     Quota 10,000.00: quota credit 5,600 - 500 = 5,100 -> 51.00% attainment.
 *     C: 10% of (400 + 90) = 49.00. B: nothing.
 * Q2 (run from the fiscal year start, Q1 carried): A 10% of 2,000 = 200.00; attainment 20.00%;
 *     year to date (5,100 + 2,000) / (10,000 + 10,000) = 35.50%.
 */

export type RunsFixture = {
  t: TestApp;
  admin: Session;
  seller: Session;
  manager: Session;
  stranger: Session;
  partner: Session;
  /** A = seller (Ann Seller), B = manager (Bea Manager), C = no login (Cy Seller). */
  P: { a: string; b: string; c: string };
  runJob: (runId: string) => Promise<void>;
  startRun: (periodStart: string, periodEnd: string) => Promise<CommissionRunView>;
  completedRun: (periodStart: string, periodEnd: string) => Promise<CommissionRunView>;
};

function line(tx: string, participantId: string, over: Partial<Parameters<typeof baseLine>[0]> = {}) {
  return baseLine({ tx, participantId, ...over });
}

function baseLine(o: {
  tx: string;
  participantId: string;
  ref?: string;
  amount?: number;
  deal?: number;
  split?: number;
  on?: string;
  currency?: string;
  kind?: 'booking' | 'credit_note';
  original?: string | null;
}) {
  return {
    participantId: o.participantId,
    salesTransactionId: o.tx,
    transactionImportId: newId(),
    partnerId: null,
    amountMinor: o.amount ?? 0,
    dealAmountMinor: o.deal ?? o.amount ?? 0,
    recognisedOn: o.on ?? '2027-01-01',
    originalRecognisedOn: o.original ?? null,
    splitBps: o.split ?? 10_000,
    currency: o.currency ?? 'EUR',
    role: 'seller' as const,
    kind: o.kind ?? ('booking' as const),
    sourcing: 'direct' as const,
    transactionRef: o.ref ?? o.tx,
    partnerRef: null,
    product: null,
    scenario: null,
    segment: null,
    endCustomer: null,
    territory: null,
  };
}

/** The runs fixture: plan, participants, quotas, transactions and rates above, in a fresh test app. */
export async function runsFixture(): Promise<RunsFixture> {
  const t = await createTestApp();
  const P = { a: newId(), b: newId(), c: newId() };
  async function userActor(roles: Role[]): Promise<UserActor> {
    const u = await makeUser(t.deps, { roles });
    return { kind: 'user', userId: u.id, email: u.email, displayName: u.email, partnerId: null, roles, via: 'session', requestId: null };
  }

  async function runJob(runId: string): Promise<void> {
    const job = jobDefinitions.find((j) => j.name === PERIOD_RUN_JOB);
    if (!job) throw new Error('period run job not registered');
    await job.handler(t.deps, { runId }, { jobId: newId(), attempt: 1 });
  }

  const who = { author: await userActor(['comp_admin']), reviewer: await userActor(['comp_admin']), finance: await userActor(['finance']) };
  const publishedPlan = async (document: Parameters<typeof comp.createPlan>[2]['document']) => {
    const v = await comp.createPlan(t.deps, who.author, { document });
    await comp.submitForApproval(t.deps, who.author, v.id);
    await comp.approveStep(t.deps, who.reviewer, v.id, { step: 'comp_admin', comment: '' });
    await comp.approveStep(t.deps, who.finance, v.id, { step: 'finance', comment: '' });
    await comp.publishVersion(t.deps, who.reviewer, v.id);
    return { planId: v.planId, versionId: v.id };
  };
  const adminUser = await makeUser(t.deps, { roles: ['comp_admin'] });
  const sellerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const managerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const strangerUser = await makeUser(t.deps, { roles: ['internal_seller'] });
  const p = await makePartner(t.deps);
  const partnerUser = await makeUser(t.deps, { roles: ['partner_admin'], partnerId: p.id });
  const admin = await signIn(t.app, adminUser.email);
  const seller = await signIn(t.app, sellerUser.email);
  const manager = await signIn(t.app, managerUser.email);
  const stranger = await signIn(t.app, strangerUser.email);
  const partner = await signIn(t.app, partnerUser.email);

  async function startRun(periodStart: string, periodEnd: string): Promise<CommissionRunView> {
    const r = await t.app.inject({ method: 'POST', url: '/api/comp/runs', headers: admin.headers, payload: { periodStart, periodEnd } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<CommissionRunView>();
  }

  async function completedRun(periodStart: string, periodEnd: string): Promise<CommissionRunView> {
    const run = await startRun(periodStart, periodEnd);
    await runJob(run.id);
    const r = await t.app.inject({ method: 'GET', url: `/api/comp/runs/${run.id}`, headers: admin.headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<CommissionRunView>();
  }

  const plan = await publishedPlan({
    format: PLAN_FORMAT,
    key: `runs_${process.pid}_${Date.now().toString(36)}`,
    name: 'Runs fixture',
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    payoutPeriod: 'quarter',
    crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 10_000, partnerInfluencedCreditBps: 10_000, rollupLevels: 0 },
    components: [{ key: 'commission', name: 'Commission', kind: 'commission', rateBps: 1000 }],
  });
  const tx = { t1: newId(), t2: newId(), t3: newId(), t4: newId(), t5: newId(), t6: newId() };
  await inTransaction(t.deps, systemActor('test'), async (trx) => {
    await trx
      .insertInto('compParticipant')
      .values([
        { compParticipantId: P.b, externalRef: `B-${P.b}`, displayName: 'Bea Manager', appUserId: managerUser.id },
        { compParticipantId: P.a, externalRef: `A-${P.a}`, displayName: 'Ann Seller', appUserId: sellerUser.id, managerParticipantId: P.b },
        { compParticipantId: P.c, externalRef: `C-${P.c}`, displayName: 'Cy Seller' },
      ])
      .execute();
    await trx
      .insertInto('compQuota')
      .values([
        { compQuotaId: newId(), compParticipantId: P.a, periodStart: '2027-01-01', periodEnd: '2027-04-01', amountMinor: 1_000_000, currency: 'EUR' },
        { compQuotaId: newId(), compParticipantId: P.a, periodStart: '2027-04-01', periodEnd: '2027-07-01', amountMinor: 1_000_000, currency: 'EUR' },
      ])
      .execute();
    await trx
      .insertInto('salesTransaction')
      .values([
        line(tx.t1, P.a, { ref: 'T1', amount: 500_000, on: '2027-02-10' }),
        line(tx.t2, P.a, { ref: 'T2', amount: 60_000, deal: 100_000, split: 6000, on: '2027-03-01' }),
        line(tx.t2, P.c, { ref: 'T2', amount: 40_000, deal: 100_000, split: 4000, on: '2027-03-01' }),
        line(tx.t3, P.c, { ref: 'T3', amount: 10_000, currency: 'USD', on: '2027-03-05' }),
        line(tx.t4, P.a, { ref: 'T4', amount: -50_000, kind: 'credit_note', on: '2027-03-20', original: '2027-02-10' }),
        line(tx.t5, P.a, { ref: 'T5', amount: 200_000, on: '2027-05-01' }),
        // Q3: a pound sale with no GBP rate.
        line(tx.t6, P.c, { ref: 'T6', amount: 10_000, currency: 'GBP', on: '2027-08-14' }),
      ])
      .execute();
    await repo.upsertFxRate(trx, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '0.9' });
  });
  for (const id of [P.a, P.b, P.c])
    await comp.createAssignment(t.deps, who.author, { participantId: id, planId: plan.planId, effectiveFrom: '2027-01-01', effectiveTo: null });
  return { t, admin, seller, manager, stranger, partner, P, runJob, startRun, completedRun };
}

// ---------------------------------------------------------------------------------------------
// Store fixtures written straight to the tables (no app, no approvals): the golden and incremental
// run tests, whose inputs are fixed ids and documents.

/** A plan with one published version (version 1, in effect from the document's effectiveFrom). */
export async function insertPublishedPlan(trx: Trx, o: { planId: string; versionId?: string; document: PlanDocument }): Promise<void> {
  await trx
    .insertInto('compPlan')
    .values({ compPlanId: o.planId, key: o.document.key, name: o.document.name, currency: o.document.currency, createdByUserId: null })
    .execute();
  await trx
    .insertInto('compPlanVersion')
    .values({
      compPlanVersionId: o.versionId ?? newId(),
      compPlanId: o.planId,
      version: 1,
      status: 'published',
      document: JSON.stringify(o.document),
      effectiveFrom: o.document.effectiveFrom,
      effectiveTo: null,
      createdByUserId: null,
      publishedAt: '2026-12-01T00:00:00Z',
    })
    .execute();
}

export type FixtureParticipant = {
  id: string;
  ref: string;
  name: string;
  managerId?: string | null;
  activeFrom?: string;
  planId: string;
  assignmentId?: string;
};

/** Participants (with their managers and active dates), each assigned to a plan from `from` on. */
export async function insertAssignedParticipants(trx: Trx, from: string, people: readonly FixtureParticipant[]): Promise<void> {
  await trx
    .insertInto('compParticipant')
    .values(
      people.map((p) => ({
        compParticipantId: p.id,
        externalRef: p.ref,
        displayName: p.name,
        managerParticipantId: p.managerId ?? null,
        ...(p.activeFrom ? { activeFrom: p.activeFrom } : {}),
      })),
    )
    .execute();
  await trx
    .insertInto('compPlanAssignment')
    .values(
      people.map((p) => ({
        compPlanAssignmentId: p.assignmentId ?? newId(),
        compParticipantId: p.id,
        compPlanId: p.planId,
        effectiveFrom: from,
        effectiveTo: null,
      })),
    )
    .execute();
}

/** EUR quotas over one period. */
export async function insertQuotas(
  trx: Trx,
  period: { start: string; end: string },
  quotas: readonly { participantId: string; amountMinor: number; id?: string }[],
): Promise<void> {
  await trx
    .insertInto('compQuota')
    .values(
      quotas.map((q) => ({
        compQuotaId: q.id ?? newId(),
        compParticipantId: q.participantId,
        periodStart: period.start,
        periodEnd: period.end,
        amountMinor: q.amountMinor,
        currency: 'EUR',
      })),
    )
    .execute();
}

/** Dated USD to EUR rates. */
export async function insertUsdRates(trx: Trx, rates: readonly { validOn: string; rate: string }[]): Promise<void> {
  for (const r of rates) await repo.upsertFxRate(trx, { currency: 'USD', toCurrency: 'EUR', ...r });
}

export type StoredLine = Insertable<DB['salesTransaction']>;

/** A stored transaction line: a seller's whole share of an EUR direct booking unless told otherwise. */
export function storedLine(
  o: Pick<StoredLine, 'participantId' | 'salesTransactionId' | 'transactionImportId' | 'transactionRef' | 'amountMinor' | 'recognisedOn'> & Partial<StoredLine>,
): StoredLine {
  return {
    partnerId: null,
    dealAmountMinor: o.amountMinor,
    originalRecognisedOn: null,
    splitBps: 10_000,
    currency: 'EUR',
    role: 'seller',
    kind: 'booking',
    sourcing: 'direct',
    partnerRef: null,
    product: null,
    scenario: null,
    segment: null,
    endCustomer: null,
    territory: null,
    ...o,
  };
}

/**
 * A quarterly plan whose one component trues the year up every quarter: 5% of credit below 100%
 * year-to-date attainment, 7.5% of all of it above (retroactive). A deal changes the later
 * quarters of its year too (the estimator's later periods).
 */
export function yearToDatePlanDoc(key: string, name: string): PlanDocumentInput {
  return {
    format: PLAN_FORMAT,
    key,
    name,
    currency: 'EUR',
    effectiveFrom: '2027-01-01',
    payoutPeriod: 'quarter',
    crediting: { partnerCredit: 'plan', directSellerCredit: 'full', partnerSourcedCreditBps: 10_000, partnerInfluencedCreditBps: 10_000, rollupLevels: 0 },
    components: [
      {
        key: 'ytd',
        name: 'Year-to-date accelerator',
        kind: 'tiered',
        mode: 'retroactive',
        window: 'year_to_date',
        baseRateBps: 500,
        tiers: [
          { fromBps: 0, toBps: 10_000, rateBps: 10_000 },
          { fromBps: 10_000, toBps: null, rateBps: 15_000 },
        ],
      },
    ],
  };
}
