import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../deps.ts';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
import type { UserActor } from '../actor.ts';
import { acknowledgePlan, myCompPlan } from '../modules/comp-plans/rollout.service.ts';
import { login } from '../modules/identity/identity.service.ts';
import { createTestDeps, type TestDeps } from '../test/test-db.ts';
import { BASE, DEMO_PASSWORD, demoPlan, demoStatus, loadDemo, mulberry32, type DemoResult } from './demo.ts';

const client = { ip: '127.0.0.1', userAgent: 'demo-test', requestId: null };

async function count(
  deps: Deps,
  table: 'partner' | 'partnerContact' | 'appUser' | 'account' | 'accountOwnership' | 'notification' | 'auditEntry',
): Promise<number> {
  const r = await deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function names(deps: Deps) {
  const partners = await deps.db.selectFrom('partner').select('name').orderBy('name').execute();
  const accounts = await deps.db.selectFrom('account').select(['name', 'domain']).orderBy('name').orderBy('domain').execute();
  return { partners: partners.map((p) => p.name), accounts: accounts.map((a) => `${a.name} <${a.domain}>`) };
}

describe('demo plan', () => {
  it('mulberry32 is a pure function of its seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('is the same for the same seed, and its larger scales extend the scale-1 core', () => {
    const one = demoPlan(1);
    expect(demoPlan(1)).toEqual(one);
    const three = demoPlan(3);
    expect(three.partners.slice(0, BASE.partners).map((p) => p.name)).toEqual(one.partners.map((p) => p.name));
    expect(three.accounts.slice(0, BASE.accounts).map((a) => a.name)).toEqual(one.accounts.map((a) => a.name));
    expect(three.partners).toHaveLength(3 * BASE.partners);
    expect(three.accounts).toHaveLength(3 * BASE.accounts);
  });

  it('never repeats an e-mail, a partner name or a domain', () => {
    const plan = demoPlan(20);
    const emails = [...plan.internalUsers, ...plan.partners.flatMap((p) => p.users)].map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(plan.partners.map((p) => p.name.toLowerCase())).size).toBe(plan.partners.length);
    expect(new Set(plan.accounts.map((a) => a.domain)).size).toBe(plan.accounts.length);
    for (const a of plan.accounts) {
      const starts = a.ownership.map((o) => o.startsOn);
      expect([...starts].sort()).toEqual(starts);
      expect(new Set(starts).size).toBe(starts.length);
    }
  });

  it('has every internal role and seller teams with managers', () => {
    const plan = demoPlan(1);
    const roles = new Set(plan.internalUsers.flatMap((u) => u.roles));
    for (const r of [
      'admin',
      'executive',
      'programme_lead',
      'channel_manager',
      'comp_admin',
      'finance',
      'internal_seller',
      'operations',
      'delivery',
      'auditor',
    ]) {
      expect(roles.has(r as never)).toBe(true);
    }
    const seller1 = plan.internalUsers.find((u) => u.email === 'seller1@helion.example');
    expect(seller1?.managerEmail).toBe('mgr1@helion.example');
    expect(new Set(plan.partners.map((p) => p.tier))).toEqual(new Set(['platinum', 'gold', 'silver', 'registered']));
  });
});

describe('loading the demo', () => {
  let a: TestDeps;
  let b: TestDeps;
  let first: DemoResult;
  beforeAll(async () => {
    a = await createTestDeps();
    b = await createTestDeps();
    const progress: number[] = [];
    // Two databases at once: each load waits mostly on commits, so they overlap well.
    [first] = await Promise.all([
      loadDemo(a.deps, { scale: 1, quiet: true, onProgress: (done, total) => progress.push(done / total) }),
      loadDemo(b.deps, { scale: 1, quiet: true }),
    ]);
    expect(progress.at(-1)).toBe(1);
  }, 180_000);
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('loads the counts it reports', async () => {
    const c = first.counts;
    expect(c.partners).toBe(BASE.partners);
    expect(c.accounts).toBe(BASE.accounts);
    expect(await count(a.deps, 'partner')).toBe(c.partners);
    expect(await count(a.deps, 'partnerContact')).toBe(c.partnerContacts);
    expect(await count(a.deps, 'appUser')).toBe((c.internalUsers ?? 0) + (c.partnerUsers ?? 0));
    expect(await count(a.deps, 'account')).toBe(c.accounts);
    expect(await count(a.deps, 'accountOwnership')).toBe(c.accountOwnerships);
    // Welcomes, plus what the registrations sent to reviewers and partners.
    const welcomes = await a.deps.db.selectFrom('notification').select('notificationId').where('kind', '=', 'welcome').execute();
    expect(welcomes).toHaveLength(c.notifications ?? 0);
    expect(await count(a.deps, 'notification')).toBeGreaterThan(c.notifications ?? 0);
    const executives = await a.deps.db.selectFrom('partnerContact').select('partnerId').where('isExecutive', '=', true).distinct().execute();
    expect(executives).toHaveLength(BASE.partners);
    const managed = await a.deps.db.selectFrom('appUser').select('appUserId').where('managerUserId', 'is not', null).execute();
    expect(managed.length).toBeGreaterThan(20);
  });

  it('gives the same partner and account names in two fresh databases', async () => {
    expect(await names(b.deps)).toEqual(await names(a.deps));
  });

  it('leaves an audit chain that verifies, with the service entries and the demo markers', async () => {
    const v = await verifyAuditChain(a.deps);
    expect(v.ok).toBe(true);
    const actions = await a.deps.db.selectFrom('auditEntry').select('action').distinct().execute();
    const seen = new Set(actions.map((x) => x.action));
    const core = ['demo.load', 'user.create', 'partner.create', 'partner_contact.create', 'account.create', 'account.ownership.set'];
    // The registrations and offers went through their services, each step with its own entry.
    const engagement = [
      'registration.create',
      'registration.submit',
      'registration.start_review',
      'registration.request_info',
      'registration.provide_info',
      'registration.approve',
      'registration.reject',
      'registration.mark_won',
      'registration.mark_lost',
      'registration.withdraw',
      'registration.sla_breached',
      'registration.expire',
      'offer.push',
      'offer.accept',
      'offer.decline',
      'offer.expire',
      // A fuzzy near-match the plan did not mean as a clash is shared by the channel manager before approval.
      'conflict.resolve',
    ];
    // Compensation: participants, the two plans through the chain, imports, the simulation, the rollouts.
    const comp = [
      'comp_participant.create',
      'comp_plan.create',
      'comp_plan_assignment.create',
      'comp_quota.upsert',
      'comp_plan_version.submit',
      'comp_plan_version.approve',
      'comp_plan_version.publish',
      'comp_plan_rollout.notify',
      'comp_rollout_recipient.open',
      'comp_rollout_recipient.acknowledge',
      'comp_rollout_recipient.dispute',
      'transaction_import.commit',
      'comp_simulation.run',
    ];
    // Scorecards: activities, metrics, tier rules, scorecards, targets, published snapshots.
    const scorecards = [
      'activity.import',
      'activity.derive',
      'metric_definition.create',
      'partner_tier_rules.save',
      'scorecard.create',
      'scorecard.targets.set',
      'scorecard_snapshot.publish',
    ];
    expect([...seen].sort()).toEqual([...core, ...engagement, ...comp, ...scorecards].sort());
  });

  it('lets every documented login sign in with the shared password, and each has a welcome', async () => {
    expect(first.logins.map((l) => l.email)).toEqual(
      expect.arrayContaining(['admin@helion.example', 'chief@helion.example', 'cm1@helion.example', 'seller1@helion.example']),
    );
    expect(first.logins.some((l) => l.partner && l.email.startsWith('admin@') && l.email.endsWith('.example'))).toBe(true);
    for (const l of first.logins) {
      expect(l.password).toBe(DEMO_PASSWORD);
      const s = await login(a.deps, { email: l.email, password: l.password }, client);
      expect(s.user.roles).toEqual(l.roles);
      const welcome = await a.deps.db.selectFrom('notification').select('title').where('appUserId', '=', s.user.id).where('kind', '=', 'welcome').execute();
      expect(welcome).toHaveLength(1);
    }
  }, 60_000);

  it('tells the case with registrations of every scenario and status, SLA breaches, conflicts and offers', async () => {
    const db = a.deps.db;
    const statuses = await db
      .selectFrom('dealRegistration')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute();
    expect(new Set(statuses.map((x) => x.status))).toEqual(
      new Set(['draft', 'submitted', 'under_review', 'more_info_requested', 'approved', 'rejected', 'expired', 'won', 'lost', 'withdrawn']),
    );
    expect(statuses.reduce((n, x) => n + Number(x.n), 0)).toBe(first.counts.registrations);
    const scenarios = await db
      .selectFrom('dealRegistration as r')
      .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
      .select('s.key')
      .distinct()
      .execute();
    expect(scenarios).toHaveLength(6);
    // Approved ones are protected; rejected ones say why; submissions spread over about six months.
    const approved = await db.selectFrom('dealRegistration').select(['protectionEndsOn', 'decidedAt']).where('status', '=', 'approved').execute();
    expect(approved.every((r) => r.protectionEndsOn !== null && r.decidedAt !== null)).toBe(true);
    const rejected = await db.selectFrom('dealRegistration').select('decisionReason').where('status', '=', 'rejected').execute();
    expect(rejected.every((r) => (r.decisionReason ?? '').length > 0)).toBe(true);
    const span = await db
      .selectFrom('dealRegistration')
      .select((eb) => [eb.fn.min('submittedAt').as('first'), eb.fn.max('submittedAt').as('last')])
      .executeTakeFirstOrThrow();
    const days = (new Date(span.last as Date).getTime() - new Date(span.first as Date).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(150);
    // Breaches are flagged as the timer does it, with the event, after the due time.
    const breached = await db
      .selectFrom('dealRegistration')
      .select(['dealRegistrationId', 'slaDueAt', 'slaBreachedAt'])
      .where('slaBreachedAt', 'is not', null)
      .execute();
    expect(breached.length).toBeGreaterThan(5);
    expect(breached.every((r) => new Date(r.slaBreachedAt!).getTime() > new Date(r.slaDueAt!).getTime())).toBe(true);
    const breachEvents = await db.selectFrom('registrationEvent').select('dealRegistrationId').where('kind', '=', 'sla_breached').execute();
    expect(new Set(breachEvents.map((e) => e.dealRegistrationId))).toEqual(new Set(breached.map((r) => r.dealRegistrationId)));
    // The friction: renewals answered within hours, everything else after days.
    const hours = await db
      .selectFrom('dealRegistration as r')
      .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
      .select(['s.isRenewal', 'r.submittedAt', 'r.firstResponseAt'])
      .where('r.firstResponseAt', 'is not', null)
      .where('r.source', '<>', 'vendor_offer')
      .execute();
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    const delay = (r: (typeof hours)[number]) => (new Date(r.firstResponseAt!).getTime() - new Date(r.submittedAt!).getTime()) / 3_600_000;
    const renewals = median(hours.filter((r) => r.isRenewal).map(delay));
    const others = median(hours.filter((r) => !r.isRenewal).map(delay));
    expect(renewals).toBeLessThan(24);
    expect(others).toBeGreaterThan(48);
    // Conflicts: partner against partner, and one against the direct team; the later claims wait as 'submitted'.
    const conflicts = await db.selectFrom('registrationConflict').select(['kind', 'dealRegistrationId']).execute();
    expect(conflicts.filter((c) => c.kind === 'partner_vs_partner').length).toBeGreaterThanOrEqual(3);
    expect(conflicts.filter((c) => c.kind === 'partner_vs_direct')).toHaveLength(1);
    const flagged = await db.selectFrom('dealRegistration').select('status').where('inConflict', '=', true).execute();
    expect(flagged.length).toBeGreaterThanOrEqual(4);
    const offers = await db.selectFrom('dealOffer').select('status').execute();
    expect(offers.map((o) => o.status).sort()).toEqual(['accepted', 'declined', 'expired', 'offered']);
  });

  it('gives the same registrations in two fresh databases', async () => {
    const shape = async (deps: Deps) =>
      (
        await deps.db
          .selectFrom('dealRegistration as r')
          .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
          .select(['r.endCustomerName', 's.key', 'r.status', 'r.valueMinor'])
          .orderBy('r.endCustomerName')
          .orderBy('s.key')
          .orderBy('r.status')
          .execute()
      ).map((r) => `${r.endCustomerName}|${r.key}|${r.status}|${r.valueMinor}`);
    expect(await shape(b.deps)).toEqual(await shape(a.deps));
  });

  it('tells the compensation story: the old plan in force, a year of bookings, the new plan simulated and rolling out', async () => {
    const db = a.deps.db;
    const c = first.counts;
    // Every seller and manager is a participant linked to their login, in their manager's team.
    const people = await db
      .selectFrom('compParticipant as p')
      .leftJoin('compParticipant as m', 'm.compParticipantId', 'p.managerParticipantId')
      .leftJoin('appUser as u', 'u.appUserId', 'p.appUserId')
      .select(['u.email', 'p.team', 'm.externalRef as managerRef'])
      .execute();
    expect(people).toHaveLength(c.compParticipants ?? 0);
    const sellersAndManagers = await db.selectFrom('appUser').select('email').where('email', '~', '^(seller|mgr)[0-9]+@helion[.]example$').execute();
    expect(people.filter((p) => p.email !== null)).toHaveLength(sellersAndManagers.length);
    expect(people.length).toBeGreaterThan(sellersAndManagers.length);
    expect(people.find((p) => p.email === 'seller1@helion.example')?.managerRef).toBe('HEL-M001');
    expect(new Set(people.map((p) => p.team)).size).toBe(BASE.teams);
    // The history: one currency, every scenario with renewals the largest, partner deals, splits, credit notes.
    const lines = await db
      .selectFrom('salesTransaction')
      .select(['transactionRef', 'kind', 'scenario', 'sourcing', 'splitBps', 'currency', 'amountMinor'])
      .execute();
    const deals = new Map(lines.map((l) => [l.transactionRef, l]));
    expect(deals.size).toBe(c.compTransactions);
    expect(new Set(lines.map((l) => l.currency))).toEqual(new Set(['USD']));
    const byScenario = new Map<string, number>();
    for (const d of deals.values()) byScenario.set(d.scenario ?? '', (byScenario.get(d.scenario ?? '') ?? 0) + 1);
    expect(byScenario.size).toBe(6);
    expect([...byScenario.entries()].sort((x, y) => y[1] - x[1])[0]?.[0]).toBe('maintenance_renewal');
    expect(new Set(lines.map((l) => l.sourcing))).toEqual(new Set(['direct', 'partner_sourced', 'partner_influenced']));
    expect(lines.some((l) => l.splitBps < 10_000)).toBe(true);
    const credits = [...deals.values()].filter((d) => d.kind === 'credit_note');
    expect(credits.length).toBe(c.compCreditNotes);
    expect(credits.length).toBeGreaterThan(0);
    expect(credits.every((d) => d.amountMinor < 0)).toBe(true);
    const imports = await db.selectFrom('transactionImport').select('status').execute();
    expect(imports.map((i) => i.status)).toEqual(Array.from({ length: c.compImports ?? 0 }, () => 'committed'));
    // Both plans went through the whole chain and are published; both rollouts exist.
    const versions = await db
      .selectFrom('compPlanVersion as v')
      .innerJoin('compPlan as p', 'p.compPlanId', 'v.compPlanId')
      .select(['v.compPlanVersionId', 'p.key', 'v.status', 'v.effectiveFrom'])
      .orderBy('v.effectiveFrom')
      .execute();
    expect(versions.map((v) => v.status)).toEqual(['published', 'published']);
    const [oldPlan, newPlan] = versions;
    const year = Number(oldPlan?.effectiveFrom.slice(0, 4));
    expect(oldPlan?.key).toBe(`renewal_centred_${year}`);
    expect(newPlan?.key).toBe(`channel_friendly_${year + 1}`);
    const approvals = await db.selectFrom('compPlanApproval').select(['step']).execute();
    expect(approvals).toHaveLength(6);
    // The simulation of the candidate against the old plan, on the history year.
    const sims = await db.selectFrom('compSimulation').select(['baselineVersionId', 'candidateVersionIds', 'periodLabel', 'transactionCount']).execute();
    expect(sims).toEqual([
      {
        baselineVersionId: oldPlan?.compPlanVersionId,
        candidateVersionIds: [newPlan?.compPlanVersionId],
        periodLabel: String(year),
        transactionCount: c.compTransactions,
      },
    ]);
    // The new plan's rollout, mid-way: acknowledged, opened, sent, one dispute, seller1 still to answer.
    const recipients = await db
      .selectFrom('compRolloutRecipient as r')
      .innerJoin('compPlanRollout as ro', 'ro.compPlanRolloutId', 'r.compPlanRolloutId')
      .innerJoin('compParticipant as p', 'p.compParticipantId', 'r.compParticipantId')
      .leftJoin('appUser as u', 'u.appUserId', 'p.appUserId')
      .select(['r.compRolloutRecipientId', 'r.status', 'r.disputeComment', 'u.email', 'ro.deadlineOn', 'ro.startedOn'])
      .where('ro.compPlanVersionId', '=', newPlan!.compPlanVersionId)
      .execute();
    expect(recipients).toHaveLength(c.compParticipants ?? 0);
    const status = (s: string) => recipients.filter((r) => r.status === s);
    expect(status('acknowledged')).toHaveLength(c.compAcknowledged ?? 0);
    expect(status('disputed')).toHaveLength(1);
    expect(status('disputed')[0]?.disputeComment?.length).toBeGreaterThan(20);
    expect(status('opened').length).toBeGreaterThan(0);
    expect(status('sent').length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(recipients[0]!.startedOn < today && recipients[0]!.deadlineOn > today).toBe(true);
    const seller1 = recipients.find((r) => r.email === 'seller1@helion.example');
    expect(seller1?.status).toBe('sent');
    // ... and the demo user seller1 can acknowledge it.
    const s = await login(a.deps, { email: 'seller1@helion.example', password: DEMO_PASSWORD }, client);
    const actor: UserActor = {
      kind: 'user',
      userId: s.user.id,
      email: s.user.email,
      displayName: s.user.displayName,
      partnerId: null,
      roles: s.user.roles,
      via: 'session',
      requestId: null,
    };
    const mine = await myCompPlan(a.deps, actor);
    const running = mine.items.find((i) => i.rollout.status === 'running' && i.recipient.status !== 'acknowledged');
    expect(running?.recipient.id).toBe(seller1?.compRolloutRecipientId);
    expect((await acknowledgePlan(a.deps, actor, running!.recipient.id)).status).toBe('acknowledged');
    // The same history in the second database.
    const shape = async (deps: Deps) =>
      (
        await deps.db
          .selectFrom('salesTransaction')
          .select(['transactionRef', 'participantId', 'amountMinor', 'recognisedOn'])
          .orderBy('transactionRef')
          .orderBy('amountMinor')
          .execute()
      ).map((r) => `${r.transactionRef}|${r.amountMinor}|${r.recognisedOn}`);
    expect(await shape(b.deps)).toEqual(await shape(a.deps));
  }, 60_000);

  it('does nothing the second time', async () => {
    const before = await count(a.deps, 'partner');
    const again = await loadDemo(a.deps, { scale: 1, quiet: true });
    expect(again.alreadyLoaded).toBe(true);
    expect(again.logins).toEqual(first.logins);
    expect(await count(a.deps, 'partner')).toBe(before);
    expect(await demoStatus(a.deps)).toBe('loaded');
  });
});

describe('loading at a larger scale', () => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await createTestDeps();
  });
  afterAll(async () => t.close());

  it('adds the extra records in audited batches, and they can sign in', async () => {
    const r = await loadDemo(t.deps, { scale: 2, quiet: true });
    expect(await count(t.deps, 'partner')).toBe(2 * BASE.partners);
    expect(await count(t.deps, 'account')).toBe(2 * BASE.accounts);
    expect(await count(t.deps, 'accountOwnership')).toBe(r.counts.accountOwnerships);
    expect(await count(t.deps, 'appUser')).toBe((r.counts.internalUsers ?? 0) + (r.counts.partnerUsers ?? 0));
    const batches = await t.deps.db.selectFrom('auditEntry').select('entityType').where('action', '=', 'demo.load').execute();
    expect(batches.map((x) => x.entityType)).toEqual(expect.arrayContaining(['partner', 'account', 'app_user', 'notification']));
    expect((await verifyAuditChain(t.deps)).ok).toBe(true);
    const bulkSeller = await login(t.deps, { email: 'seller40@helion.example', password: DEMO_PASSWORD }, client);
    expect(bulkSeller.user.roles).toEqual(['internal_seller']);
    const overlaps = await t.deps.db
      .selectFrom('accountOwnership')
      .select('accountId')
      .where('endsOn', 'is', null)
      .groupBy('accountId')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(overlaps).toEqual([]);
  }, 180_000);
});
