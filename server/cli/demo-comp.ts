import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { transactionRowInput } from '../../common/api/commissions-transactions.ts';
import { addDays } from '../../common/dates.ts';
import { applyBasisPoints, moneyOf } from '../../common/money.ts';
import type { Sourcing } from '../../common/comp/plan.ts';
import { systemActor, type UserActor } from '../actor.ts';
import { inTransaction, type Deps } from '../deps.ts';
import { createTransactions } from '../modules/commissions/transactions.service.ts';
import { createSimulation } from '../modules/commissions/simulation.service.ts';
import {
  approveStep,
  createAssignment,
  createParticipant,
  createPlan,
  publishVersion,
  submitForApproval,
  upsertQuotas,
} from '../modules/comp-plans/comp-plans.service.ts';
import { acknowledgePlan, disputePlan, notifyRolloutBatch, openPlan } from '../modules/comp-plans/rollout.service.ts';
import type { DemoPlan, PlannedAccount, PlannedUser } from './demo.ts';

/**
 * Demo compensation data (issue 4): the old renewal-centred plan in force and a year of
 * transactions under it, the new channel-friendly plan simulated against it on that history, and
 * the new plan's rollout half-way through.
 *
 * The history year is the current year when at least half of it is behind us, else the year
 * before; the old plan is the docs' renewal-centred plan moved to that year, the candidate the
 * docs' channel-friendly plan moved to the year after. Everything goes through the services with
 * a clock set to the moment it happened: participants and the old plan in the December before the
 * history year, one transaction import a month (finance, on the 3rd), the candidate's design,
 * simulation, approvals and publication in the last four weeks, then the participants answering.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The simulation runs this long before now, on every month imported by then. */
const SIMULATED_DAYS_AGO = 12;
const PUBLISHED_DAYS_AGO = 9;
const IMPORT_ROWS = 5000;
const CURRENCY = 'USD';

export type CompIds = { users: Map<string, string> };
export type CompCounts = {
  compParticipants: number;
  compTransactions: number;
  compCreditNotes: number;
  compImports: number;
  compRolloutRecipients: number;
  compAcknowledged: number;
};
export type CompVendor = { domain: string; movingUnit: string };

type Rng = { next(): number; int(min: number, max: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean };

function rngFrom(next: () => number): Rng {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]): T => {
      const x = xs[int(0, xs.length - 1)];
      if (x === undefined) throw new Error('pick from an empty list');
      return x;
    },
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------------
// The plan: pure data

type DealStory = { scenario: string; weight: number; dollars: [number, number]; products: readonly string[]; partnerShare: number };

/** What direct sellers book, by scenario: maintenance renewals dominate, as in the case. */
const deals: readonly DealStory[] = [
  {
    scenario: 'maintenance_renewal',
    weight: 50,
    dollars: [5_000, 60_000],
    products: ['Helion Server Care', 'Helion Storage Care', 'Helion Network Care'],
    partnerShare: 0.15,
  },
  { scenario: 'new_support_contract', weight: 14, dollars: [10_000, 90_000], products: ['Helion Proactive Support'], partnerShare: 0.55 },
  { scenario: 'consulting', weight: 10, dollars: [15_000, 150_000], products: ['Helion Advisory Services'], partnerShare: 0.55 },
  { scenario: 'upgrade', weight: 10, dollars: [20_000, 200_000], products: ['Helion Servers', 'Helion Storage', 'Helion Networking'], partnerShare: 0.55 },
  { scenario: 'migration', weight: 8, dollars: [30_000, 250_000], products: ['Helion Hybrid Cloud Migration'], partnerShare: 0.55 },
  { scenario: 'managed_service', weight: 8, dollars: [60_000, 400_000], products: ['Helion Managed Infrastructure'], partnerShare: 0.55 },
];

const teamNames = ['Enterprise North', 'Enterprise South', 'Public Sector & Education', 'Mid-Market'] as const;
const territories = ['Nordics & Baltics', 'DACH', 'Benelux', 'Iberia', 'UK & Ireland', 'France', 'Italy', 'North America', 'APAC'] as const;
const associateNames = ['Noor Varga', 'Elias Brandt', 'Mira Okonkwo', 'Teodor Lund', 'Ines Carvalho', 'Owen Maddox', 'Lena Virtanen', 'Rafael Ibarra'];

export type PlannedParticipant = {
  ref: string;
  displayName: string;
  email: string | null;
  /** The demo login this participant signs in as; null for the few without one. */
  login: string | null;
  managerRef: string | null;
  team: string;
  territory: string;
  /** Quarterly quota of the history year, in whole dollars. */
  quarterQuotaDollars: number;
  dealsPerYear: number;
};

type Row = z.input<typeof transactionRowInput>;
export type PlannedImport = { at: number; batchId: string; rows: Row[] };
export type PlannedAnswer = { at: number; ref: string; action: 'open' | 'acknowledge' | 'dispute'; comment?: string };

export type CompPlan = {
  historyYear: number;
  /** First day after the history imported (the simulated year may run on past it). */
  historyEnd: string;
  participants: PlannedParticipant[];
  imports: PlannedImport[];
  creditNotes: number;
  oldAcknowledgements: PlannedAnswer[];
  newAnswers: PlannedAnswer[];
  times: Record<'prepare' | 'oldPlan' | 'oldSubmit' | 'oldCompAdmin' | 'oldFinance' | 'oldManager' | 'oldPublish', number> &
    Record<'newPlan' | 'newAssign' | 'simulate' | 'newSubmit' | 'newCompAdmin' | 'newFinance' | 'newManager' | 'newPublish', number>;
};

const at = (year: number, month: number, day: number, hour: number) => Date.UTC(year, month - 1, day, hour);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dayOf = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The year of transaction history: this year once half of it is past, else last year. */
export function historyYearOf(now: Date): number {
  return now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
}

/** The month's import: finance loads the ERP's bookings on the 3rd of the month after. */
function importMoment(year: number, month: number): number {
  return month === 12 ? at(year + 1, 1, 3, 9) : at(year, month + 1, 3, 9);
}

/** A weekday office moment `daysAfter` days after `from` (earlier than `before`). */
function officeMoment(rng: Rng, from: number, daysAfter: number, before: number): number {
  const d = new Date(from + daysAfter * DAY);
  d.setUTCHours(rng.int(8, 17), rng.int(0, 59), 0, 0);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return Math.max(from + HOUR, Math.min(d.getTime(), before - HOUR));
}

/** Minor units as the major amount text of an import row ("-1234.50"). */
function majorText(minor: number): string {
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${minor < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function participantsOf(plan: DemoPlan, rng: Rng): PlannedParticipant[] {
  const out: PlannedParticipant[] = [];
  const local = (email: string) => email.split('@')[0] ?? email;
  const managers = plan.internalUsers.filter((u) => /^mgr\d+@/.test(u.email));
  const teamOf = (n: number) => `${teamNames[(n - 1) % teamNames.length]}${n > teamNames.length ? ` ${Math.ceil(n / teamNames.length)}` : ''}`;
  const person = (u: PlannedUser, ref: string, managerRef: string | null, team: string, isManager: boolean): PlannedParticipant => ({
    ref,
    displayName: u.displayName,
    email: u.email,
    login: u.email,
    managerRef,
    team,
    territory: rng.pick(territories),
    quarterQuotaDollars: isManager ? rng.int(15, 22) * 10_000 : rng.int(55, 70) * 10_000,
    dealsPerYear: isManager ? rng.int(10, 16) : rng.int(36, 52),
  });
  for (const m of managers) {
    const n = Number(/^mgr(\d+)@/.exec(m.email)?.[1]);
    const team = teamOf(n);
    const mref = `HEL-M${pad(n, 3)}`;
    out.push(person(m, mref, null, team, true));
    for (const s of plan.internalUsers.filter((u) => u.managerEmail === m.email))
      out.push(person(s, `HEL-S${pad(Number(/\d+/.exec(local(s.email))?.[0]), 4)}`, mref, team, false));
    // Every other team has an associate seller who has no Realign login (yet).
    if (n % 2 === 1)
      out.push({
        ref: `HEL-A${pad(n, 3)}`,
        displayName: associateNames[(n - 1) % associateNames.length] ?? 'Associate Seller',
        email: null,
        login: null,
        managerRef: mref,
        team,
        territory: rng.pick(territories),
        quarterQuotaDollars: rng.int(30, 40) * 10_000,
        dealsPerYear: rng.int(20, 28),
      });
  }
  return out;
}

function pickDeal(rng: Rng): DealStory {
  let roll = rng.int(
    1,
    deals.reduce((n, d) => n + d.weight, 0),
  );
  for (const d of deals) {
    roll -= d.weight;
    if (roll <= 0) return d;
  }
  return deals[0]!;
}

type Booking = Row & { recognised_on: string; minor: number };

/** The history: bookings of every participant over the imported months, a few split, a few credited back. */
function historyOf(plan: DemoPlan, rng: Rng, people: PlannedParticipant[], year: number, months: number[], lastDay: string) {
  const bookings: Booking[] = [];
  const byTeam = new Map<string, PlannedParticipant[]>();
  for (const p of people) byTeam.set(p.team, [...(byTeam.get(p.team) ?? []), p]);
  const partnerName = (i: number) => plan.partners[i]?.name ?? null;
  // Quarter-end months close more business.
  const monthWeights = months.map((m) => (m % 3 === 0 ? 16 : 10));
  const totalWeight = monthWeights.reduce((a, b) => a + b, 0);
  const pickMonth = () => {
    let roll = rng.int(1, totalWeight);
    for (const [i, m] of months.entries()) {
      roll -= monthWeights[i] ?? 0;
      if (roll <= 0) return m;
    }
    return months.at(-1)!;
  };
  for (const p of people) {
    const count = Math.round((p.dealsPerYear * months.length) / 12);
    for (let k = 0; k < count; k++) {
      const month = pickMonth();
      let day = rng.int(1, daysIn(year, month));
      const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
      if (weekday === 6) day = day > 1 ? day - 1 : day + 2;
      else if (weekday === 0) day = day > 2 ? day - 2 : day + 1;
      const on = dayOf(year, month, day);
      if (on >= lastDay) continue;
      const story = pickDeal(rng);
      const account: PlannedAccount = rng.pick(plan.accounts);
      let sourcing: Sourcing = 'direct';
      if (rng.chance(story.partnerShare)) sourcing = story.scenario !== 'maintenance_renewal' && rng.chance(0.62) ? 'partner_sourced' : 'partner_influenced';
      // The partner: the customer's channel partner when it has one, else one of the programme's.
      const owner = account.ownership.at(-1);
      const partnerIndex = owner && owner.partnerIndex !== null && owner.kind !== 'direct' ? owner.partnerIndex : rng.int(0, plan.partners.length - 1);
      const dollars = rng.int(story.dollars[0] / 10, story.dollars[1] / 10) * 10;
      const team = byTeam.get(p.team) ?? [];
      const teammates = team.filter((x) => x.ref !== p.ref);
      let sellers = p.ref;
      if (teammates.length > 0 && rng.chance(0.08)) {
        const other = rng.pick(teammates);
        const share = rng.pick([50, 60, 70]);
        sellers = `${p.ref}:${share};${other.ref}:${100 - share}`;
      }
      bookings.push({
        transaction_id: '',
        kind: 'booking',
        recognised_on: on,
        amount: `${dollars}.00`,
        minor: moneyOf(dollars * 100, CURRENCY).amountMinor,
        currency: CURRENCY,
        product: rng.pick(story.products),
        scenario: story.scenario,
        segment: account.segment,
        sourcing,
        partner: sourcing === 'direct' ? '' : (partnerName(partnerIndex) ?? ''),
        sellers,
        overlays: '',
        original_recognised_on: '',
        end_customer: account.name,
        territory: p.territory,
      });
    }
  }
  bookings.sort((a, b) => (a.recognised_on < b.recognised_on ? -1 : a.recognised_on > b.recognised_on ? 1 : 0));
  bookings.forEach((b, i) => (b.transaction_id = `SO-${year}-${pad(i + 1, 6)}`));
  // A few deals are credited back (a scope cut, a cancelled site), weeks after the sale.
  const creditNotes: Booking[] = [];
  for (const b of bookings) {
    if (!rng.chance(0.025)) continue;
    const on = addDays(b.recognised_on, rng.int(15, 90));
    if (on >= lastDay) continue;
    const minor = applyBasisPoints(moneyOf(b.minor, CURRENCY), rng.int(1, 10) * 1000, 'half_even').amountMinor;
    creditNotes.push({
      ...b,
      transaction_id: `CN-${year}-${pad(creditNotes.length + 1, 5)}`,
      kind: 'credit_note',
      recognised_on: on,
      amount: majorText(-minor),
      minor: -minor,
      original_recognised_on: b.recognised_on,
    });
  }
  return { bookings, creditNotes };
}

/** The whole comp story for a demo plan and a moment: the same inputs always give the same story. */
export function compPlan(plan: DemoPlan, random: () => number, now: number): CompPlan {
  const rng = rngFrom(random);
  const year = historyYearOf(new Date(now));
  const participants = participantsOf(plan, rng);
  const simulateAt = now - SIMULATED_DAYS_AGO * DAY;
  const months = Array.from({ length: 12 }, (_, i) => i + 1).filter((m) => importMoment(year, m) < simulateAt - DAY);
  const lastMonth = months.at(-1) ?? 1;
  const historyEnd = lastMonth === 12 ? dayOf(year + 1, 1, 1) : dayOf(year, lastMonth + 1, 1);
  const { bookings, creditNotes } = historyOf(plan, rng, participants, year, months, historyEnd);
  const all = [...bookings, ...creditNotes];
  const imports: PlannedImport[] = [];
  for (const m of months) {
    const prefix = `${year}-${pad(m)}`;
    const rows = all.filter((r) => r.recognised_on.startsWith(prefix));
    for (let i = 0; i < rows.length; i += IMPORT_ROWS) {
      const part = rows.length > IMPORT_ROWS ? `-${i / IMPORT_ROWS + 1}` : '';
      imports.push({ at: importMoment(year, m), batchId: `helion-erp-bookings-${prefix}${part}`, rows: rows.slice(i, i + IMPORT_ROWS) });
    }
  }

  // The old plan: designed and published in the December before the history year; everyone with a
  // login acknowledged it within its 30 days.
  const dec = (day: number, hour: number) => at(year - 1, 12, day, hour);
  const oldPublish = dec(10, 10);
  const withLogin = participants.filter((p) => p.login !== null);
  const oldAcknowledgements: PlannedAnswer[] = withLogin.map((p) => ({
    at: officeMoment(rng, oldPublish, rng.int(0, 26), at(year, 1, 8, 18)),
    ref: p.ref,
    action: 'acknowledge',
  }));

  // The new plan's rollout, nine days in: most have acknowledged, some only read it, one disputes,
  // seller1 (a demo login) has not looked yet.
  const newPublish = now - PUBLISHED_DAYS_AGO * DAY;
  const newAnswers: PlannedAnswer[] = [];
  const disputer = withLogin.find((p) => p.managerRef !== null && p.login !== null && /^seller6@/.test(p.login)) ?? withLogin.at(-1);
  for (const p of withLogin) {
    if (p.login?.startsWith('seller1@')) continue;
    const when = () => officeMoment(rng, newPublish, rng.int(0, PUBLISHED_DAYS_AGO - 1), now);
    if (p === disputer) {
      const opened = when();
      newAnswers.push({ at: opened, ref: p.ref, action: 'open' });
      newAnswers.push({
        at: Math.min(opened + 26 * HOUR, now - HOUR),
        ref: p.ref,
        action: 'dispute',
        comment:
          'My accounts are almost all maintenance renewals and no partner covers my territory yet. A quota on all sourcings, 50% up on last year, assumes partner business I cannot reach in Q1: can it start from last year’s renewal base?',
      });
      continue;
    }
    const roll = rng.int(1, 100);
    if (p.login?.startsWith('mgr1@') || roll <= 55) newAnswers.push({ at: when(), ref: p.ref, action: 'acknowledge' });
    else if (roll <= 78) newAnswers.push({ at: when(), ref: p.ref, action: 'open' });
  }

  const newPlan = now - 26 * DAY;
  return {
    historyYear: year,
    historyEnd,
    participants,
    imports,
    creditNotes: creditNotes.length,
    oldAcknowledgements,
    newAnswers,
    times: {
      prepare: dec(1, 9),
      oldPlan: dec(2, 10),
      oldSubmit: dec(3, 9),
      oldCompAdmin: dec(4, 11),
      oldFinance: dec(8, 14),
      oldManager: dec(9, 9),
      oldPublish,
      newPlan,
      newAssign: newPlan + DAY,
      simulate: simulateAt,
      newSubmit: now - 11 * DAY,
      newCompAdmin: now - 11 * DAY + 3 * HOUR,
      newFinance: now - 10 * DAY,
      newManager: now - 10 * DAY + 4 * HOUR,
      newPublish,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Loading

function atTime(deps: Deps, t: number): Deps {
  const instant = new Date(t);
  return { ...deps, clock: { now: () => new Date(instant) } };
}

/** The docs' example plan as a plan file of the demo: its years moved (2026 -> `year`, 2027 -> `year` + 1). */
export async function examplePlan(file: string, year: number): Promise<string> {
  const text = await readFile(new URL(`../../docs/examples/comp-plans/${file}`, import.meta.url), 'utf8');
  return text.replace(/(?<!\d)(2026|2027)(?!\d)/g, (y) => String(year + Number(y) - 2026));
}

function quotaRows(people: PlannedParticipant[], year: number, growthBps: number) {
  return people.flatMap((p) =>
    [1, 4, 7, 10].map((m) => ({
      externalRef: p.ref,
      periodStart: dayOf(year, m, 1),
      periodEnd: m === 10 ? dayOf(year + 1, 1, 1) : dayOf(year, m + 3, 1),
      amountMinor: applyBasisPoints(moneyOf(p.quarterQuotaDollars * 100, CURRENCY), growthBps, 'half_even').amountMinor,
      currency: CURRENCY,
    })),
  );
}

/** Loads the compensation story; the demo users are loaded already. */
export async function loadComp(deps: Deps, plan: DemoPlan, ids: CompIds, random: () => number, vendor: CompVendor): Promise<CompCounts> {
  const now = deps.clock.now().getTime();
  const p = compPlan(plan, random, now);
  const year = p.historyYear;
  const t = p.times;
  const usersByEmail = new Map(plan.internalUsers.map((u) => [u.email, u]));
  const actor = (local: string): UserActor => {
    const email = `${local}@${vendor.domain}`;
    const u = usersByEmail.get(email);
    const userId = ids.users.get(email);
    if (!u || !userId) throw new Error(`demo user ${email} was not loaded`);
    return { kind: 'user', userId, email, displayName: u.displayName, partnerId: null, roles: u.roles, via: 'session', requestId: null };
  };
  const [admin, comp, finance] = [actor('admin'), actor('comp1'), actor('finance1')];
  const participantActor = (ref: string) => {
    const login = p.participants.find((x) => x.ref === ref)?.login;
    if (!login) throw new Error(`participant ${ref} has no login`);
    return actor(login.split('@')[0] ?? login);
  };

  // Participants, managers first (the plan lists each manager before their team).
  const participantIds = new Map<string, string>();
  for (const x of p.participants) {
    const v = await createParticipant(atTime(deps, t.prepare), comp, {
      externalRef: x.ref,
      displayName: x.displayName,
      email: x.email,
      appUserId: x.login ? (ids.users.get(x.login) ?? null) : null,
      managerId: x.managerRef ? (participantIds.get(x.managerRef) ?? null) : null,
      team: x.team,
      unit: vendor.movingUnit,
      territory: x.territory,
      activeFrom: null,
      activeTo: null,
    });
    participantIds.set(x.ref, v.id);
  }

  // The old plan, in force for the history year: assigned to everyone, with quotas, through the chain.
  let d = atTime(deps, t.oldPlan);
  const old = await createPlan(d, admin, {
    file: { text: await examplePlan('renewal-centred-2026.yaml', year), format: 'yaml' },
    changeNote: 'The plan as it has been run for years: renewals first, direct business only toward quota.',
  });
  for (const x of p.participants)
    await createAssignment(d, comp, {
      participantId: participantIds.get(x.ref)!,
      planId: old.planId,
      effectiveFrom: `${year}-01-01`,
      effectiveTo: `${year + 1}-01-01`,
    });
  await upsertQuotas(d, comp, { rows: quotaRows(p.participants, year, 10_000) });
  await submitForApproval(atTime(deps, t.oldSubmit), admin, old.id);
  await approveStep(atTime(deps, t.oldCompAdmin), comp, old.id, { step: 'comp_admin', comment: 'Same structure as last year, rates unchanged.' });
  await approveStep(atTime(deps, t.oldFinance), finance, old.id, { step: 'finance', comment: 'Within budget.' });
  await approveStep(atTime(deps, t.oldManager), actor('mgr2'), old.id, { step: 'manager', comment: '' });
  await publishVersion(atTime(deps, t.oldPublish), comp, old.id);
  await notifyAll(atTime(deps, t.oldPublish + 5 * 60_000), old.id);
  const oldRecipients = await recipientsOf(deps, old.id);
  for (const a of p.oldAcknowledgements) await acknowledgePlan(atTime(deps, a.at), participantActor(a.ref), oldRecipients.get(participantIds.get(a.ref)!)!);

  // A year of bookings, imported month by month as finance loads them from the ERP.
  let transactions = 0;
  for (const imp of p.imports) {
    const v = await createTransactions(atTime(deps, imp.at), finance, { batchId: imp.batchId, mode: 'all_or_nothing', rows: imp.rows.map(asRowInput) });
    if (v.status !== 'committed') throw new Error(`demo import ${imp.batchId} was ${v.status}: ${JSON.stringify(v.problems.slice(0, 3))}`);
    transactions += imp.rows.length;
  }

  // The candidate: the channel-friendly plan for the next year, on the same people from January.
  d = atTime(deps, t.newPlan);
  const candidate = await createPlan(d, admin, {
    file: { text: await examplePlan('channel-friendly-2027.yaml', year), format: 'yaml' },
    changeNote: 'Partner-sourced business pays more than business kept direct; every sourcing counts toward quota.',
  });
  d = atTime(deps, t.newAssign);
  for (const x of p.participants)
    await createAssignment(d, comp, {
      participantId: participantIds.get(x.ref)!,
      planId: candidate.planId,
      effectiveFrom: `${year + 1}-01-01`,
      effectiveTo: null,
    });
  await upsertQuotas(d, comp, { rows: quotaRows(p.participants, year + 1, 15_000) });
  await createSimulation(atTime(deps, t.simulate), comp, { baselineVersionId: old.id, candidateVersionIds: [candidate.id], period: String(year) });
  await submitForApproval(atTime(deps, t.newSubmit), admin, candidate.id);
  await approveStep(atTime(deps, t.newCompAdmin), comp, candidate.id, {
    step: 'comp_admin',
    comment: 'Simulated on this year’s bookings: it costs more, and the extra goes to deals partners bring.',
  });
  await approveStep(atTime(deps, t.newFinance), finance, candidate.id, { step: 'finance', comment: 'Approved with the draw recovery as designed.' });
  await approveStep(atTime(deps, t.newManager), actor('mgr1'), candidate.id, { step: 'manager', comment: 'The team is ready to bring partners in.' });
  await publishVersion(atTime(deps, t.newPublish), comp, candidate.id);
  await notifyAll(atTime(deps, t.newPublish + 5 * 60_000), candidate.id);
  const newRecipients = await recipientsOf(deps, candidate.id);
  const answers = [...p.newAnswers].sort((a, b) => a.at - b.at);
  for (const a of answers) {
    const dd = atTime(deps, a.at);
    const who = participantActor(a.ref);
    const id = newRecipients.get(participantIds.get(a.ref)!)!;
    if (a.action === 'open') await openPlan(dd, who, id);
    else if (a.action === 'acknowledge') await acknowledgePlan(dd, who, id);
    else await disputePlan(dd, who, id, a.comment ?? '');
  }

  return {
    compParticipants: p.participants.length,
    compTransactions: transactions,
    compCreditNotes: p.creditNotes,
    compImports: p.imports.length,
    compRolloutRecipients: newRecipients.size,
    compAcknowledged: answers.filter((a) => a.action === 'acknowledge').length,
  };
}

function asRowInput(r: Row & { minor?: number }): z.output<typeof transactionRowInput> {
  const { minor: _minor, ...row } = r;
  return { ...row, amount: String(row.amount) };
}

/** Runs the rollout's notice job now, as the job runner would right after the publication. */
async function notifyAll(deps: Deps, versionId: string): Promise<void> {
  const rolloutId = await inTransaction(
    deps,
    systemActor('demo'),
    async (trx) =>
      (await trx.selectFrom('compPlanRollout').select('compPlanRolloutId').where('compPlanVersionId', '=', versionId).executeTakeFirstOrThrow())
        .compPlanRolloutId,
  );
  let after: string | null = null;
  for (;;) {
    const r = await notifyRolloutBatch(deps, { rolloutId, afterParticipantId: after });
    if (r.done) return;
    after = await inTransaction(deps, systemActor('demo'), async (trx) => {
      const last = await trx
        .selectFrom('compRolloutRecipient')
        .select('compParticipantId')
        .where('compPlanRolloutId', '=', rolloutId)
        .where('notifiedAt', 'is not', null)
        .orderBy('compParticipantId', 'desc')
        .executeTakeFirst();
      return last?.compParticipantId ?? null;
    });
  }
}

/** Participant id -> recipient id of the rollout of a version. */
async function recipientsOf(deps: Deps, versionId: string): Promise<Map<string, string>> {
  const rows = await inTransaction(deps, systemActor('demo'), (trx) =>
    trx
      .selectFrom('compRolloutRecipient as r')
      .innerJoin('compPlanRollout as ro', 'ro.compPlanRolloutId', 'r.compPlanRolloutId')
      .select(['r.compParticipantId', 'r.compRolloutRecipientId'])
      .where('ro.compPlanVersionId', '=', versionId)
      .execute(),
  );
  return new Map(rows.map((r) => [r.compParticipantId, r.compRolloutRecipientId]));
}
