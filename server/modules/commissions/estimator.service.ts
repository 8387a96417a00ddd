import type { z } from 'zod';
import type { estimateRequest, EstimableParticipantsView, EstimateCreditView, EstimateView } from '../../../common/api/commissions-estimator.ts';
import type { CreditableTransaction } from '../../../common/comp/crediting.ts';
import { fiscalYearStart, payoutPeriodOf, payoutPeriods } from '../../../common/comp/engine.ts';
import { dateOf } from '../../../common/dates.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { planForParticipantOn, quotasOf, type PlanVersionInEffect } from '../comp-plans/comp-plans.service.ts';
import { rulesInForce } from '../engagement/rules.service.ts';
import * as repo from './estimator.repository.ts';
import {
  compareComponents,
  creditAll,
  creditRows,
  decidingDay,
  fxLookup,
  groupChain,
  hypotheticalTransaction,
  laterChanges,
  payChain,
  periodFigures,
  type ChainContext,
  type HypotheticalDeal,
  type Period,
} from './estimator.rules.ts';
import * as runsRepo from './runs.repository.ts';
import { canManageRuns, isPartner } from './runs.service.ts';
import * as simRepo from './simulation.repository.ts';
import { DEFAULT_MAX_TRANSACTIONS, MAX_TRANSACTIONS_SETTING } from './simulation.service.ts';
import { partnerCreditOf, transactionsOfLines } from './simulation.rules.ts';

/**
 * The deal estimator: what a deal would add to a participant's pay in the payout period it would
 * close in, and how it changes the later payout periods of that fiscal year.
 *
 * The participant's fiscal year is paid twice, with the same
 * steps as a period run (runs.service.ts calculateRun) but in TypeScript: the plan version of every
 * payout period decided the same way, the stored transactions of the window (the participant's and,
 * when the plan rolls up, those of their reports) credited with common/comp/crediting.ts under the
 * partner credit of the plan or the rules of the road in force, dated rates from fx_rate, quotas,
 * and the periods chained through the engine (chainPeriods). The second pass adds the deal. The
 * difference of the deal's payout period is the estimate; because earlier periods are the same in
 * both passes, it equals the difference of two period runs over that period, one before and one
 * after the deal is booked (estimator.test.ts checks it). Later periods of the year that differ
 * (year-to-date tiers and true-ups, draw recovery carry the deal forward) are listed with their
 * own differences, each equal to the difference of two runs over that later period.
 *
 * Who may estimate: a participant for themself, managers for everyone below them, compensation
 * administrators, finance and administrators for anyone; partner users are answered 404, and so is
 * a participant the caller may not see. Who else the deal credits (co-sellers, overlays, managers
 * by roll-up) is listed for those the caller may see, with the credit their own plan gives them.
 *
 * An estimate changes nothing: it runs in a read-only transaction (PostgreSQL refuses any write)
 * and writes no audit entry, like every other read. It is a POST only for its structured body; the
 * route says so with `config.readOnly`, which the route-table test checks.
 */

type Request = z.output<typeof estimateRequest>;

const OPEN_OPPORTUNITY = new Set(['prospecting', 'engaging']);
const CLOSED_REGISTRATION = new Set(['rejected', 'expired', 'won', 'lost', 'withdrawn']);

type Visibility = { all: true } | { all: false; ids: Set<string> };

async function visibilityOf(trx: Trx, actor: Actor): Promise<Visibility> {
  if (canManageRuns(actor)) return { all: true };
  if (actor.kind !== 'user') return { all: false, ids: new Set() };
  return { all: false, ids: await runsRepo.visibleParticipantIds(trx, actor.userId) };
}
const sees = (v: Visibility, id: string) => v.all || v.ids.has(id);

type Prefill = { deal: Partial<HypotheticalDeal>; sellerId: string | null; label: string };

async function prefillOf(trx: Trx, vis: Visibility, from: NonNullable<Request['prefillFrom']>): Promise<Prefill> {
  if (from.kind === 'opportunity') {
    const o = await repo.opportunityOf(trx, from.id);
    if (!o || !sees(vis, o.sellerParticipantId)) throw notFound('Opportunity');
    if (!OPEN_OPPORTUNITY.has(o.stage)) throw new AppError('conflict', `Opportunity ${o.externalId} is ${o.stage}: estimate an open deal`);
    return {
      sellerId: o.sellerParticipantId,
      label: `opportunity ${o.externalId}${o.accountName ? ` (${o.accountName})` : ''}`,
      deal: {
        ...(o.valueMinor !== null && o.valueMinor > 0 ? { amountMinor: o.valueMinor } : {}),
        currency: o.currency,
        ...(o.closeOn ? { closeOn: o.closeOn } : {}),
        product: o.product,
        scenario: o.scenario,
        partnerId: o.partnerId,
      },
    };
  }
  const r = await repo.registrationOf(trx, from.id);
  if (!r) throw notFound('Registration');
  if (CLOSED_REGISTRATION.has(r.status)) throw new AppError('conflict', `Registration ${r.reference} is ${r.status}: estimate an open deal`);
  return {
    sellerId: null,
    label: `registration ${r.reference}`,
    deal: {
      amountMinor: r.valueMinor,
      currency: r.currency,
      ...(r.expectedCloseOn ? { closeOn: r.expectedCloseOn } : {}),
      product: r.productLine,
      scenario: r.scenario,
      partnerId: r.partnerId,
    },
  };
}

/** The first day of the next fiscal year (fiscal years start on the first of a month). */
const nextYearStart = (yearStart: string): string => `${String(Number(yearStart.slice(0, 4)) + 1).padStart(4, '0')}${yearStart.slice(4)}`;

/**
 * The plan version of each payout period of the deal's fiscal year, as calculateRun decides it.
 * Up to the deal's period a change of payout period or fiscal year is refused; after it the chain
 * stops there (`stoppedAt`), since a run would not carry state across such a change either.
 */
async function planChain(trx: Trx, participantId: string, closeOn: string) {
  const atClose = await planForParticipantOn(trx, participantId, closeOn);
  if (!atClose) throw new AppError('conflict', `The participant has no plan in force on ${closeOn}: nothing to estimate`);
  const dealPeriod = payoutPeriodOf(atClose.document, closeOn);
  const assignments = await repo.assignmentsOf(trx, participantId);
  const first = decidingDay(assignments, dealPeriod);
  const v0 = first === null ? null : await planForParticipantOn(trx, participantId, first);
  if (!v0) throw new AppError('conflict', `The participant has no plan in force for the payout period ${dealPeriod.start} to ${dealPeriod.end}`);
  const chain: { period: Period; versionId: string; planId: string; plan: PlanVersionInEffect['document']; v: PlanVersionInEffect }[] = [];
  const yearStart = fiscalYearStart(v0.document, dealPeriod.start);
  let stoppedAt: string | null = null;
  for (const period of payoutPeriods(v0.document, yearStart, nextYearStart(yearStart))) {
    const day = decidingDay(assignments, period);
    const v = day === null ? null : day === first ? v0 : await planForParticipantOn(trx, participantId, day);
    if (!v) continue;
    if (v.document.payoutPeriod !== v0.document.payoutPeriod || v.document.fiscalYearStartMonth !== v0.document.fiscalYearStartMonth) {
      if (period.start <= dealPeriod.start)
        throw new AppError('conflict', `The participant changes payout period or fiscal year within the year (plan ${v0.planKey} -> ${v.planKey})`);
      stoppedAt = period.start;
      break;
    }
    chain.push({ period, versionId: v.versionId, planId: v.planId, plan: v.document, v });
  }
  return { chain, dealPeriod, v0, yearStart, yearEnd: stoppedAt ?? nextYearStart(yearStart), stoppedAt };
}

const invalidDeal = (message: string) => new AppError('validation_failed', message, { issues: [{ path: 'body', message }] });

export async function estimateDeal(deps: Deps, actor: Actor, req: Request): Promise<EstimateView> {
  if (isPartner(actor)) throw notFound('Participant');
  return inTransaction(deps, actor, async (trx) => {
    await repo.readOnly(trx);
    const vis = await visibilityOf(trx, actor);
    const prefill = req.prefillFrom ? await prefillOf(trx, vis, req.prefillFrom) : null;

    let participantId = req.participantId ?? prefill?.sellerId ?? null;
    if (!participantId && actor.kind === 'user') participantId = (await runsRepo.linkedParticipantId(trx, actor.userId)) ?? null;
    if (!participantId) throw notFound('Participant');
    if (!sees(vis, participantId)) throw notFound('Participant');
    const participant = await repo.participantOf(trx, participantId);
    if (!participant) throw notFound('Participant');

    const p = prefill?.deal ?? {};
    const amount = req.amountMinor ?? p.amountMinor;
    const currency = req.currency ?? p.currency;
    if (amount === undefined) throw invalidDeal(`${prefill?.label ?? 'the deal'} has no value: give amountMinor`);
    if (currency === undefined) throw invalidDeal('give the currency of the deal value');
    const partnerId = req.partnerId !== undefined ? req.partnerId : (p.partnerId ?? null);
    const deal: HypotheticalDeal = {
      amountMinor: amount,
      currency,
      closeOn: req.closeOn ?? p.closeOn ?? dateOf(deps.clock.now()),
      product: req.product !== undefined ? req.product : (p.product ?? null),
      scenario: req.scenario !== undefined ? req.scenario : (p.scenario ?? null),
      segment: req.segment ?? null,
      sourcing: req.sourcing ?? (partnerId !== null || req.prefillFrom?.kind === 'registration' ? 'partner_sourced' : 'direct'),
      partnerId,
      coSellers: req.coSellers,
      overlays: req.overlays,
    };
    if (deal.sourcing !== 'direct' && deal.partnerId === null) throw invalidDeal(`a ${deal.sourcing.replace('_', '-')} deal names its partner (partnerId)`);
    for (const id of [...deal.coSellers.map((s) => s.participantId), ...deal.overlays])
      if (!(await repo.participantOf(trx, id))) throw invalidDeal(`participant ${id} (co-seller or overlay) does not exist`);
    let hypothetical: CreditableTransaction;
    try {
      hypothetical = hypotheticalTransaction(deal, participantId);
    } catch (e) {
      throw invalidDeal(e instanceof Error ? e.message : String(e));
    }

    // The plan of every payout period of the deal's fiscal year.
    const { chain, dealPeriod, v0, yearEnd, stoppedAt } = await planChain(trx, participantId, deal.closeOn);
    const groups = groupChain(chain);
    const yearStart = chain[0]?.period.start ?? dealPeriod.start;
    const levels = Math.max(0, ...chain.map((c) => c.plan.crediting.rollupLevels));

    // The stored transactions that credit the participant (or roll up to them) in the window.
    const credited = await repo.participantAndReports(trx, participantId, levels);
    const window = { from: yearStart, to: yearEnd, participantIds: credited };
    const raw = Number((await simRepo.readSetting(trx, MAX_TRANSACTIONS_SETTING)) ?? Number.NaN);
    const max = Number.isSafeInteger(raw) && raw > 0 ? raw : DEFAULT_MAX_TRANSACTIONS;
    const count = await simRepo.countTransactions(trx, window);
    if (count > max)
      throw new AppError(
        'payload_too_large',
        `The participant's fiscal year to date holds ${count} transactions (their reports' included when the plan rolls up); an estimate reads at most ${max} (setting ${MAX_TRANSACTIONS_SETTING}).`,
      );
    const stored = transactionsOfLines(await simRepo.transactionLines(trx, window));

    // Everyone those transactions and the deal name, and their managers up the chain (roll-up).
    const people = new Map<string, { name: string; managerId: string | null }>();
    let missing = [
      ...new Set([
        participantId,
        ...stored.flatMap((t) => [...t.sellers.map((s) => s.participantId), ...t.overlays]),
        ...hypothetical.sellers.map((s) => s.participantId),
        ...hypothetical.overlays,
      ]),
    ];
    while (missing.length > 0) {
      for (const r of await simRepo.participantsByIds(trx, missing))
        people.set(r.compParticipantId, { name: r.displayName, managerId: r.managerParticipantId });
      missing = [...new Set([...people.values()].flatMap((x) => (x.managerId && !people.has(x.managerId) ? [x.managerId] : [])))];
    }
    const managerOf = (id: string) => people.get(id)?.managerId ?? null;

    const planCurrency = v0.document.currency;
    const rates = fxLookup(await repo.fxRatesInto(trx, planCurrency, yearEnd));
    const rules = await rulesInForce(trx);
    const partnerCredit = partnerCreditOf(rules ? { version: rules.version, hints: rules.rules.crediting } : null);
    const quotaRows = await quotasOf(trx, participantId, yearStart, yearEnd);
    for (const q of quotaRows)
      if (q.currency !== planCurrency)
        throw new AppError('conflict', `The participant has a quota in ${q.currency} but plan ${v0.planKey} pays in ${planCurrency}`);
    const ctx: ChainContext = {
      participant: { participantId, activeFrom: participant.activeFrom, activeTo: participant.activeTo },
      groups,
      quotas: quotaRows.map((q) => ({ start: q.periodStart, end: q.periodEnd, value: q.amountMinor })),
      managerOf,
      partnerCredit,
      fx: rates,
    };

    let before, after;
    try {
      before = payChain(ctx, stored);
      after = payChain(ctx, [...stored, hypothetical]);
    } catch (e) {
      if (e instanceof RangeError) throw new AppError('conflict', e.message);
      throw e;
    }
    const atDeal = (list: typeof before) => list.find((x) => x.period.start === dealPeriod.start) ?? null;
    const b = atDeal(before);
    const a = atDeal(after);
    const dealVersion = chain.find((c) => c.period.start === dealPeriod.start)?.v ?? v0;
    const notes: string[] = [];
    if (!a) notes.push('The participant is not active in the payout period the deal would close in: it pays nothing.');

    // The deal's credit: the participant's own lines, and everyone else's under their own plan.
    const dealPlan = dealVersion.document;
    let fx = null;
    if (deal.currency !== dealPlan.currency) {
      const r = rates(deal.currency, dealPlan.currency, deal.closeOn);
      if (!r)
        throw new AppError(
          'conflict',
          `No ${deal.currency} to ${dealPlan.currency} rate valid on ${deal.closeOn}: add a dated rate to estimate a deal in ${deal.currency}`,
        );
      fx = { from: deal.currency, rate: r.rate, on: r.on };
    }
    const credit = (plan: typeof dealPlan) => creditAll(plan, [hypothetical], { managerOf, partnerCredit, fx: rates });
    const view = (r: ReturnType<typeof creditRows>[number], cur: string): EstimateCreditView => ({
      participantId: r.participantId,
      name: people.get(r.participantId)?.name ?? '',
      kind: r.kind,
      creditMinor: r.creditMinor,
      currency: cur,
      rule: r.rule,
    });
    const ownCredit = creditRows(credit(dealPlan).filter((l) => l.participantId === participantId)).map((r) => view(r, dealPlan.currency));
    const candidates = new Set<string>();
    for (const id of [...hypothetical.sellers.map((s) => s.participantId), ...hypothetical.overlays]) {
      candidates.add(id);
      let m = managerOf(id);
      for (let i = 0; i < 10 && m !== null && !candidates.has(m); i += 1) {
        candidates.add(m);
        m = managerOf(m);
      }
    }
    candidates.delete(participantId);
    const others: EstimateCreditView[] = [];
    let hiddenOthers = 0;
    for (const id of [...candidates].sort()) {
      const theirs = await planForParticipantOn(trx, id, deal.closeOn);
      if (!theirs) continue;
      let rows: ReturnType<typeof creditRows>;
      try {
        rows = creditRows(credit(theirs.document).filter((l) => l.participantId === id));
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        notes.push(`The credit of another participant on plan ${theirs.planKey} cannot be shown: ${e.message}`);
        continue;
      }
      if (rows.length === 0) continue;
      if (!sees(vis, id)) {
        hiddenOthers += 1;
        continue;
      }
      others.push(...rows.map((r) => view(r, theirs.document.currency)));
    }
    if (chain.some((c) => c.period.start < dealPeriod.start))
      notes.push(
        `Earlier payout periods of the fiscal year (from ${yearStart}) were calculated too: year-to-date tiers, true-ups and draws carry into the deal’s period.`,
      );
    const laterPeriods = laterChanges(before, after, dealPeriod);
    if (laterPeriods.length > 0)
      notes.push(
        `The deal also changes ${laterPeriods.length} later payout period${laterPeriods.length === 1 ? '' : 's'} of the fiscal year (year-to-date tiers, true-ups or draw recovery carry it forward).`,
      );
    if (stoppedAt !== null)
      notes.push(`Payout periods from ${stoppedAt} are not estimated: the participant's plan changes payout period or fiscal year there.`);

    const beforeFigures = periodFigures(b?.result ?? null);
    const afterFigures = periodFigures(a?.result ?? null);
    return {
      participantId,
      participantName: participant.displayName,
      deal: {
        amountMinor: deal.amountMinor,
        currency: deal.currency,
        closeOn: deal.closeOn,
        product: deal.product,
        scenario: deal.scenario,
        segment: deal.segment,
        sourcing: deal.sourcing,
        partnerId: deal.partnerId,
        prefilledFrom: req.prefillFrom && prefill ? { ...req.prefillFrom, label: prefill.label } : null,
      },
      plan: { versionId: dealVersion.versionId, planKey: dealVersion.planKey, version: dealVersion.version },
      currency: dealPlan.currency,
      period: dealPeriod,
      fx,
      before: beforeFigures,
      after: afterFigures,
      deltaMinor: afterFigures.totalMinor - beforeFigures.totalMinor,
      components: compareComponents(b?.result.lines ?? [], a?.result.lines ?? []),
      laterPeriods,
      yearDeltaMinor: afterFigures.totalMinor - beforeFigures.totalMinor + laterPeriods.reduce((x, p) => x + p.deltaMinor, 0),
      ownCredit,
      others,
      hiddenOthers,
      transactionsRead: stored.length,
      notes,
    };
  });
}

/** Whom the caller may estimate for: themself and everyone below them; comp admins, finance and administrators anyone. */
export async function estimableParticipants(deps: Deps, actor: Actor, f: { q?: string | undefined; limit: number }): Promise<EstimableParticipantsView> {
  if (isPartner(actor)) throw notFound('Participant');
  return inTransaction(deps, actor, async (trx) => {
    const vis = await visibilityOf(trx, actor);
    const own = actor.kind === 'user' ? await runsRepo.linkedParticipantId(trx, actor.userId) : undefined;
    const rows = await repo.searchParticipants(trx, { q: f.q, ids: vis.all ? null : [...vis.ids].sort(), limit: f.limit });
    return { items: rows.map((r) => ({ id: r.compParticipantId, name: r.displayName, externalRef: r.externalRef, own: r.compParticipantId === own })) };
  });
}
