import { addDays, dateOf } from '../../common/dates.ts';
import { systemActor, type UserActor } from '../actor.ts';
import { inTransaction, type Deps } from '../deps.ts';
import { resolveConflict } from '../modules/engagement/conflicts.service.ts';
import { acceptOffer, declineOffer, expireOffers, pushOffer } from '../modules/engagement/offers.service.ts';
import { createRegistration, expireProtections, flagSlaBreaches, transitionRegistration } from '../modules/engagement/registrations.service.ts';
import type { DemoPlan, PlannedAccount, PlannedUser } from './demo.ts';

/**
 * Demo deal registrations, offers and conflicts: six months of partner work told as the case
 * tells it. Maintenance renewals get an answer within hours; every other scenario waits days and
 * often misses its SLA. Everything goes through the registration and offer services with a clock
 * set to the moment it happened, so events, audit, routing, SLA breaches and conflicts are real;
 * the SLA and expiry timers run at the times the real jobs would have.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The SLA timer runs every five minutes: a breach is flagged within five minutes of the due time. */
const TIMER_SLOT = 5 * 60_000;
const PROTECTION_DAYS = 90;

export type EngagementIds = { users: Map<string, string>; partners: string[] };
async function shareOpenConflicts(deps: Deps, channelManager: UserActor, registrationId: string): Promise<void> {
  const open = await inTransaction(deps, systemActor('demo'), (trx) =>
    trx
      .selectFrom('registrationConflict')
      .select('registrationConflictId')
      .where('dealRegistrationId', '=', registrationId)
      .where('status', '=', 'open')
      .orderBy('registrationConflictId')
      .execute(),
  );
  for (const c of open) {
    await resolveConflict(deps, channelManager, c.registrationConflictId, {
      resolution: 'share',
      note: 'Checked with both account teams: different opportunities, both may proceed.',
    });
  }
}

export type EngagementCounts = { registrations: number; offers: number; conflictsPlanned: number; slaBreaches: number };

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

type ScenarioStory = { key: string; weight: number; value: [number, number]; fastAnswer: boolean };

/** How partners bring work (weights) and what it is worth, in whole US dollars. */
const scenarios: readonly ScenarioStory[] = [
  { key: 'maintenance_renewal', weight: 30, value: [6_000, 60_000], fastAnswer: true },
  { key: 'new_support_contract', weight: 16, value: [12_000, 140_000], fastAnswer: false },
  { key: 'consulting', weight: 15, value: [18_000, 260_000], fastAnswer: false },
  { key: 'upgrade', weight: 14, value: [25_000, 420_000], fastAnswer: false },
  { key: 'migration', weight: 13, value: [40_000, 650_000], fastAnswer: false },
  { key: 'managed_service', weight: 12, value: [120_000, 1_600_000], fastAnswer: false },
];

const infoRequests = [
  'Please add the installed base and the contract end date.',
  'Which sites does this cover? Please attach the customer’s scope.',
  'Who is the decision maker at the customer, and is there a budget?',
  'Please confirm the product line and the expected start date.',
];
const infoAnswers = [
  'Scope attached: three data centres, start in the next quarter.',
  'Budget approved by the customer’s CIO; installed base list added.',
  'Contract ends this quarter; the customer wants a three-year term.',
];
const rejections = [
  'The customer is already in an active direct engagement for this scope.',
  'Below the value threshold for partner protection in this scenario.',
  'The opportunity could not be confirmed with the customer.',
  'Duplicate of an earlier registration for the same project.',
];
const declines = ['Not our region: we have no delivery team there.', 'We do not carry this product line.', 'Our capacity is booked this quarter.'];

type Step = {
  at: number;
  by: 'partner' | 'reviewer';
  action: 'start_review' | 'request_info' | 'provide_info' | 'approve' | 'reject' | 'mark_won' | 'mark_lost' | 'withdraw';
  note?: string;
  reason?: string;
};

type PlannedRegistration = {
  partnerIndex: number;
  account: PlannedAccount;
  /** A spelling variant of the customer's name, without the domain: caught by fuzzy matching. */
  variantName: boolean;
  scenario: ScenarioStory;
  valueMinor: number;
  submitAt: number;
  draft: boolean;
  steps: Step[];
  /** When the protection timer expires it, if nothing closes it first. */
  expiresAt: number | null;
};

type PlannedOffer = {
  partnerIndex: number;
  account: PlannedAccount;
  scenario: ScenarioStory;
  valueMinor: number;
  pushedAt: number;
  respondBy: string;
  answer: { at: number; kind: 'accept' | 'decline'; note: string } | null;
  approveAt: number | null;
};

/** A weekday moment in office hours, `daysAgo` before now. */
function officeMoment(rng: Rng, now: number, daysAgo: number): number {
  const d = new Date(now - daysAgo * DAY);
  d.setUTCHours(rng.int(8, 16), rng.int(0, 59), 0, 0);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() - 1);
  return Math.min(d.getTime(), now - 2 * HOUR);
}

function valueOf(rng: Rng, s: ScenarioStory): number {
  const dollars = rng.int(s.value[0] / 100, s.value[1] / 100) * 100;
  return dollars * 100;
}

/** Hours until the owning unit first answers: the friction the case is about. */
function firstAnswerDelay(rng: Rng, s: ScenarioStory): number {
  if (s.fastAnswer) return rng.int(1, 20) * HOUR + rng.int(0, 59) * 60_000;
  // Other scenarios: a few quick answers, most after days, some after more than two weeks.
  const roll = rng.next();
  const hours = roll < 0.15 ? rng.int(4, 30) : roll < 0.75 ? rng.int(48, 200) : rng.int(200, 420);
  return hours * HOUR + rng.int(0, 59) * 60_000;
}

/** The lifecycle of one registration submitted at `t0`, every step before `now`. */
function lifecycle(rng: Rng, s: ScenarioStory, t0: number, now: number): { steps: Step[]; expiresAt: number | null } {
  const steps: Step[] = [];
  const add = (step: Step) => {
    if (step.at < now - HOUR) steps.push(step);
    return step.at < now - HOUR;
  };
  if (rng.chance(0.04)) {
    add({ at: t0 + rng.int(20, 150) * HOUR, by: 'partner', action: 'withdraw', note: 'The customer postponed the project.' });
    return { steps, expiresAt: null };
  }
  let t = t0 + firstAnswerDelay(rng, s);
  const approveThenClose = (approvedAt: number): number | null => {
    if (!add({ at: approvedAt, by: 'reviewer', action: 'approve' })) return null;
    const protectionEnd = approvedAt + PROTECTION_DAYS * DAY;
    const roll = rng.next();
    if (roll < 0.5) {
      if (add({ at: approvedAt + rng.int(12, 80) * DAY, by: 'partner', action: 'mark_won', note: 'Purchase order received.' })) return null;
    } else if (roll < 0.72) {
      if (add({ at: approvedAt + rng.int(15, 80) * DAY, by: 'partner', action: 'mark_lost', note: 'The customer chose to stay with its incumbent.' }))
        return null;
    }
    return protectionEnd + DAY + 2 * HOUR;
  };
  const roll = rng.next();
  const approveShare = s.fastAnswer ? 0.8 : 0.5;
  if (roll < approveShare) return { steps, expiresAt: approveThenClose(t) };
  if (roll < approveShare + 0.1) {
    add({ at: t, by: 'reviewer', action: 'reject', reason: rng.pick(rejections) });
    return { steps, expiresAt: null };
  }
  if (roll < approveShare + 0.25) {
    if (!add({ at: t, by: 'reviewer', action: 'request_info', note: rng.pick(infoRequests) })) return { steps, expiresAt: null };
    t += rng.int(18, 120) * HOUR;
    if (!add({ at: t, by: 'partner', action: 'provide_info', note: rng.pick(infoAnswers) })) return { steps, expiresAt: null };
    t += firstAnswerDelay(rng, s);
    if (rng.chance(0.75)) return { steps, expiresAt: approveThenClose(t) };
    add({ at: t, by: 'reviewer', action: 'reject', reason: rng.pick(rejections) });
    return { steps, expiresAt: null };
  }
  if (!add({ at: t, by: 'reviewer', action: 'start_review' })) return { steps, expiresAt: null };
  t += rng.int(24, 240) * HOUR;
  if (rng.chance(0.7)) return { steps, expiresAt: approveThenClose(t) };
  add({ at: t, by: 'reviewer', action: 'reject', reason: rng.pick(rejections) });
  return { steps, expiresAt: null };
}

/** Whether a direct seller owned the account at any time since `since`. */
function directSince(a: PlannedAccount, since: string): boolean {
  return a.ownership.some((o, i) => o.kind === 'direct' && (a.ownership[i + 1]?.startsOn ?? '9999-12-31') > since);
}

function weightedScenario(rng: Rng): ScenarioStory {
  const total = scenarios.reduce((n, s) => n + s.weight, 0);
  let r = rng.int(1, total);
  for (const s of scenarios) {
    r -= s.weight;
    if (r <= 0) return s;
  }
  return scenarios[0]!;
}

function channelPartnerOf(a: PlannedAccount): number | null {
  const withPartner = a.ownership.filter((o) => o.partnerIndex !== null);
  return withPartner.at(-1)?.partnerIndex ?? null;
}

export type EngagementPlan = { registrations: PlannedRegistration[]; offers: PlannedOffer[]; conflicts: number };

/** Pure: the same plan, seed and clock always give the same registrations. */
export function engagementPlan(plan: DemoPlan, random: () => number, now: number): EngagementPlan {
  const rng = rngFrom(random);
  const scale = plan.scale;
  const sixMonthsAgo = dateOf(new Date(now - 200 * DAY));
  // Customers no direct seller has held in the period: registering them meets no direct conflict.
  const pool = plan.accounts.filter((a) => !directSince(a, sixMonthsAgo));
  const directOnly = plan.accounts.filter((a) => a.ownership.length === 1 && a.ownership[0]?.kind === 'direct');
  // Shuffle the pool once (Fisher-Yates), then hand customers out in order: one registration each.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  let nextCustomer = 0;
  const customer = () => pool[nextCustomer++ % pool.length]!;
  // Platinum and gold partners bring more work.
  const activity = plan.partners.flatMap((p, i) =>
    Array.from({ length: p.tier === 'platinum' ? 4 : p.tier === 'gold' ? 3 : p.tier === 'silver' ? 2 : 1 }, () => i),
  );

  const registrations: PlannedRegistration[] = [];
  const ordinary = 60 * scale;
  for (let i = 0; i < ordinary; i++) {
    const account = customer();
    const s = weightedScenario(rng);
    const partnerIndex = channelPartnerOf(account) ?? rng.pick(activity);
    const draft = rng.chance(0.05);
    const submitAt = officeMoment(rng, now, rng.int(draft ? 1 : 2, 182));
    const life = draft ? { steps: [], expiresAt: null } : lifecycle(rng, s, submitAt, now);
    registrations.push({
      partnerIndex,
      account,
      variantName: false,
      scenario: s,
      valueMinor: valueOf(rng, s),
      submitAt,
      draft,
      steps: life.steps,
      expiresAt: life.expiresAt,
    });
  }

  // Work still on the reviewers' desks (waiting for a first answer, some past the SLA; under review; waiting for
  // information), and two endings every demo should show: a withdrawal and a protection that lapsed.
  const openShapes = [
    'awaiting',
    'awaiting',
    'awaiting',
    'awaiting',
    'fresh_renewal',
    'fresh_renewal',
    'review',
    'review',
    'review',
    'review',
    'info',
    'info',
    'info',
    'answered_info',
    'withdrawn',
    'lapsed',
  ] as const;
  for (let i = 0; i < openShapes.length * scale; i++) {
    const shape = openShapes[i % openShapes.length]!;
    const account = customer();
    const s = shape === 'fresh_renewal' ? scenarios[0]! : scenarios[1 + rng.int(0, scenarios.length - 2)]!;
    const partnerIndex = channelPartnerOf(account) ?? rng.pick(activity);
    const submitAt =
      shape === 'fresh_renewal'
        ? now - rng.int(1, 5) * HOUR
        : shape === 'lapsed'
          ? officeMoment(rng, now, rng.int(120, 170))
          : officeMoment(rng, now, rng.int(1, 16));
    const steps: Step[] = [];
    const answerAt = submitAt + Math.min(firstAnswerDelay(rng, s), (now - submitAt) / 2);
    if (shape === 'review') steps.push({ at: answerAt, by: 'reviewer', action: 'start_review' });
    if (shape === 'info' || shape === 'answered_info') steps.push({ at: answerAt, by: 'reviewer', action: 'request_info', note: rng.pick(infoRequests) });
    if (shape === 'withdrawn') steps.push({ at: answerAt, by: 'partner', action: 'withdraw', note: 'The customer postponed the project.' });
    // Approved, then nobody closed it: the protection timer expires it.
    if (shape === 'lapsed') steps.push({ at: answerAt, by: 'reviewer', action: 'approve' });
    if (shape === 'answered_info') steps.push({ at: answerAt + (now - answerAt) / 2, by: 'partner', action: 'provide_info', note: rng.pick(infoAnswers) });
    const expiresAt = shape === 'lapsed' ? answerAt + (PROTECTION_DAYS + 1) * DAY : null;
    registrations.push({ partnerIndex, account, variantName: false, scenario: s, valueMinor: valueOf(rng, s), submitAt, draft: false, steps, expiresAt });
  }

  // Partner against partner: a first partner holds the customer, a second one registers it later.
  let conflicts = 0;
  for (let k = 0; k < 3 * scale; k++) {
    const account = customer();
    const s = scenarios[1 + (k % (scenarios.length - 1))]!;
    const first = channelPartnerOf(account) ?? rng.pick(activity);
    let second = rng.pick(activity);
    while (second === first) second = rng.pick(activity);
    const firstAt = officeMoment(rng, now, rng.int(25, 60));
    const approvedAt = firstAt + firstAnswerDelay(rng, s);
    registrations.push({
      partnerIndex: first,
      account,
      variantName: false,
      scenario: s,
      valueMinor: valueOf(rng, s),
      submitAt: firstAt,
      draft: false,
      steps: approvedAt < now - HOUR ? [{ at: approvedAt, by: 'reviewer', action: 'approve' }] : [],
      expiresAt: null,
    });
    registrations.push({
      partnerIndex: second,
      account,
      variantName: k % 3 === 2,
      scenario: s,
      valueMinor: valueOf(rng, s),
      submitAt: officeMoment(rng, now, rng.int(1, 20)),
      draft: false,
      steps: [],
      expiresAt: null,
    });
    conflicts++;
  }
  // Partner against the direct team: a customer only a direct seller has ever owned.
  for (let k = 0; k < scale && directOnly.length > 0; k++) {
    const account = directOnly[(k * 7) % directOnly.length]!;
    const s = scenarios[2]!;
    registrations.push({
      partnerIndex: rng.pick(activity),
      account,
      variantName: false,
      scenario: s,
      valueMinor: valueOf(rng, s),
      submitAt: officeMoment(rng, now, rng.int(2, 12)),
      draft: false,
      steps: [],
      expiresAt: null,
    });
    conflicts++;
  }

  // The deal inbox: accepted (then approved), declined, waiting, and one left to expire.
  const offers: PlannedOffer[] = [];
  for (let k = 0; k < scale; k++) {
    // The first set goes to partners whose admins are among the printed demo logins.
    const loginPartner = (tier: string) => {
      const i = plan.partners.findIndex((x) => x.tier === tier);
      return k === 0 && i >= 0 ? i : rng.pick(activity);
    };
    const offer = (
      daysAgo: number,
      respondInDays: number,
      answer: (pushedAt: number) => PlannedOffer['answer'],
      approve: boolean,
      partnerIndex: number,
    ): PlannedOffer => {
      const s = scenarios[1 + rng.int(0, scenarios.length - 2)]!;
      const pushedAt = officeMoment(rng, now, daysAgo);
      const a = answer(pushedAt);
      return {
        partnerIndex,
        account: customer(),
        scenario: s,
        valueMinor: valueOf(rng, s),
        pushedAt,
        respondBy: addDays(dateOf(new Date(pushedAt)), respondInDays),
        answer: a,
        approveAt: approve && a ? a.at + firstAnswerDelay(rng, s) : null,
      };
    };
    offers.push(
      offer(30, 14, (t) => ({ at: t + 2 * DAY, kind: 'accept', note: 'Thank you: our team knows this customer well.' }), true, loginPartner('platinum')),
    );
    offers.push(offer(12, 10, (t) => ({ at: t + 3 * DAY, kind: 'decline', note: rng.pick(declines) }), false, loginPartner('gold')));
    offers.push(offer(2, 14, () => null, false, loginPartner('platinum')));
    offers.push(offer(45, 10, () => null, false, loginPartner('silver')));
  }
  return { registrations, offers, conflicts };
}

// ---------------------------------------------------------------------------------------------
// Loading

function atTime(deps: Deps, t: number): Deps {
  const instant = new Date(t);
  return { ...deps, clock: { now: () => new Date(instant) } };
}

function userActor(ids: EngagementIds, u: PlannedUser, partnerId: string | null): UserActor {
  const userId = ids.users.get(u.email);
  if (!userId) throw new Error(`demo user ${u.email} was not loaded`);
  return { kind: 'user', userId, email: u.email, displayName: u.displayName, partnerId, roles: u.roles, via: 'session', requestId: null };
}

type Task = { at: number; order: number; run: () => Promise<void> };

/**
 * Loads the plan in time order. Before each step, the SLA timer and the expiry timers run at every
 * moment they would have run in between, so breaches and expiries carry their real times.
 */
export async function loadEngagement(
  deps: Deps,
  plan: DemoPlan,
  ids: EngagementIds,
  random: () => number,
  reviewerOf: (scenarioKey: string) => string,
  dueBusinessDays: (scenarioKey: string) => number,
): Promise<EngagementCounts> {
  const now = deps.clock.now().getTime();
  const p = engagementPlan(plan, random, now);
  const partnerActors = plan.partners.map((partner, i) => {
    const partnerId = ids.partners[i];
    if (!partnerId) throw new Error('demo partner was not loaded');
    return partner.users.map((u) => userActor(ids, u, partnerId));
  });
  const internal = new Map(plan.internalUsers.map((u) => [u.email.split('@')[0] ?? '', u]));
  const reviewer = (scenarioKey: string) => {
    const u = internal.get(reviewerOf(scenarioKey));
    if (!u) throw new Error(`no demo reviewer for ${scenarioKey}`);
    return userActor(ids, u, null);
  };
  const offerer = userActor(ids, internal.get('cm1')!, null);

  const tasks: Task[] = [];
  let order = 0;
  const at = (t: number, run: () => Promise<void>) => tasks.push({ at: t, order: order++, run });
  // Moments the timers must run at: SLA due times (plus the timer's slot) and expiry days.
  const timerMoments: number[] = [];
  let slaBreaches = 0;

  p.registrations.forEach((r, n) => {
    const people = partnerActors[r.partnerIndex]!;
    const submitter = people[n % people.length]!;
    let id = '';
    const name = r.variantName ? `${r.account.name.toUpperCase()} Corporation` : r.account.name;
    at(r.submitAt, async () => {
      const created = await createRegistration(atTime(deps, r.submitAt), submitter, {
        scenario: r.scenario.key,
        endCustomerName: name,
        endCustomerDomain: r.variantName ? null : r.account.domain,
        endCustomerCountry: r.account.country,
        endCustomerTaxId: null,
        productLine: null,
        region: null,
        valueMinor: r.valueMinor,
        currency: 'USD',
        expectedCloseOn: addDays(dateOf(new Date(r.submitAt)), 45 + (n % 5) * 20),
        description: `${r.scenario.key.replaceAll('_', ' ')} for ${r.account.name} (${r.account.industry}).`,
        submit: !r.draft,
      });
      id = created.registration.id;
    });
    if (!r.draft) {
      // The timer flags a breach when no reviewer answered by the due time.
      const due = addBusinessDaysMs(r.submitAt, dueBusinessDays(r.scenario.key));
      const firstAnswer = r.steps.find((s) => s.by === 'reviewer');
      const withdrawnFirst = r.steps.find((s) => s.action === 'withdraw');
      if ((!firstAnswer || firstAnswer.at > due) && (!withdrawnFirst || withdrawnFirst.at > due) && due + TIMER_SLOT < now) {
        timerMoments.push(due + TIMER_SLOT);
        slaBreaches++;
      }
    }
    for (const s of r.steps) {
      at(s.at, async () => {
        const actor = s.by === 'partner' ? submitter : reviewer(r.scenario.key);
        // Fuzzy matching may hold a registration the plan did not mean to clash: the channel manager
        // looks at it first and lets both claims proceed, as the rules require before any approval.
        if (s.action === 'approve') await shareOpenConflicts(atTime(deps, s.at), offerer, id);
        await transitionRegistration(atTime(deps, s.at), actor, id, { action: s.action, note: s.note, reason: s.reason });
      });
    }
    if (r.expiresAt !== null && r.expiresAt < now) timerMoments.push(r.expiresAt);
  });

  for (const o of p.offers) {
    const people = partnerActors[o.partnerIndex]!;
    const admin = people[0]!;
    let offerId = '';
    let registrationId = '';
    at(o.pushedAt, async () => {
      const v = await pushOffer(atTime(deps, o.pushedAt), offerer, {
        partnerId: ids.partners[o.partnerIndex]!,
        scenario: o.scenario.key,
        endCustomerName: o.account.name,
        endCustomerDomain: o.account.domain,
        endCustomerCountry: o.account.country,
        valueMinor: o.valueMinor,
        currency: 'USD',
        expectedCloseOn: addDays(o.respondBy, 60),
        description: `Direct lead for ${o.scenario.key.replaceAll('_', ' ')}: the customer asked for a local partner.`,
        respondBy: o.respondBy,
      });
      offerId = v.id;
    });
    const answer = o.answer;
    if (answer) {
      at(answer.at, async () => {
        const d = atTime(deps, answer.at);
        if (answer.kind === 'accept') registrationId = (await acceptOffer(d, admin, offerId, { note: answer.note })).registrationId ?? '';
        else await declineOffer(d, admin, offerId, answer.note);
      });
      const approveAt = o.approveAt;
      if (approveAt !== null && approveAt < now - HOUR) {
        at(approveAt, async () => {
          await transitionRegistration(atTime(deps, approveAt), reviewer(o.scenario.key), registrationId, { action: 'approve' });
        });
      }
    } else if (Date.parse(`${addDays(o.respondBy, 1)}T02:00:00Z`) < now) {
      timerMoments.push(Date.parse(`${addDays(o.respondBy, 1)}T02:00:00Z`));
    }
  }

  for (const t of timerMoments) {
    at(t, async () => {
      const d = atTime(deps, t);
      await flagSlaBreaches(d);
      await expireProtections(d);
      await expireOffers(d);
    });
  }
  tasks.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const task of tasks) await task.run();
  // And once more now, as the running app's timers would.
  await flagSlaBreaches(deps);
  await expireProtections(deps);
  await expireOffers(deps);
  slaBreaches = await inTransaction(deps, systemActor('demo'), async (trx) =>
    Number(
      (
        await trx
          .selectFrom('dealRegistration')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('slaBreachedAt', 'is not', null)
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );
  return {
    registrations: p.registrations.length + p.offers.filter((o) => o.answer?.kind === 'accept').length,
    offers: p.offers.length,
    conflictsPlanned: p.conflicts,
    slaBreaches,
  };
}

function addBusinessDaysMs(from: number, days: number): number {
  const t = new Date(from);
  let left = days;
  while (left > 0) {
    t.setUTCDate(t.getUTCDate() + 1);
    if (t.getUTCDay() !== 0 && t.getUTCDay() !== 6) left--;
  }
  return t.getTime();
}
