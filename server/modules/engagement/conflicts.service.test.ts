import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEUTRAL_REASON_EARLIER, NEUTRAL_REASON_PREFERRED, type ConflictResolution } from '../../../common/api/engagement-conflicts.ts';
import type { Role } from '../../../common/roles.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { makePartner, makeUser } from '../../test/harness.ts';
import { createTestDeps, fixedClock, type TestDeps } from '../../test/test-db.ts';
import { createAccount, setAccountOwnership } from '../accounts/accounts.service.ts';
import { recordConflicts, type ConflictFinding } from './conflicts.repository.ts';
import { getConflict, getConflictHeatmap, listConflicts, resolveConflict } from './conflicts.service.ts';
import { insertTestRegistration, scenarioIdOf, type TestRegistration } from './conflicts.test-support.ts';
import type { RegistrationStatus } from './engagement.table.ts';
import { transitionRegistration } from './registrations.service.ts';
import { publishTestRules, testRules } from './registrations.test-support.ts';

const today = '2026-06-15';
let t: TestDeps;
let deps: Deps;
let partnerA: { id: string; name: string };
let partnerB: { id: string; name: string };
let sellerA: UserActor;
let sellerB: UserActor;
let cm: UserActor;
let consulting: string;
let migration: string;
let manualRules: string;
let autoRules: string;

async function actorFor(roles: Role[], partnerId: string | null = null): Promise<UserActor> {
  const displayName = `${roles[0] ?? 'user'} ${Math.random().toString(36).slice(2, 7)}`;
  const u = await makeUser(deps, { roles, partnerId, displayName });
  return { kind: 'user', userId: u.id, email: u.email, displayName, partnerId, roles, via: 'session', requestId: null };
}

beforeAll(async () => {
  t = await createTestDeps({ clock: fixedClock(`${today}T10:00:00Z`) });
  deps = t.deps;
  partnerA = await makePartner(deps, 'Alder Systems Partner');
  partnerB = await makePartner(deps, 'Birchwood Reseller');
  sellerA = await actorFor(['partner_seller'], partnerA.id);
  sellerB = await actorFor(['partner_seller'], partnerB.id);
  cm = await actorFor(['channel_manager']);
  consulting = await scenarioIdOf(deps, 'consulting');
  migration = await scenarioIdOf(deps, 'migration');
  autoRules = await publishTestRules(deps, testRules({ protection: { days: 90, extensionDays: 30, maxExtensions: 1, autoApproveWhenClear: true } }));
  manualRules = await publishTestRules(deps, testRules());
});
afterAll(async () => t.close());

async function setRules(registrationId: string, ruleSetVersionId: string): Promise<void> {
  await inTransaction(deps, systemActor('test'), (trx) =>
    trx.updateTable('dealRegistration').set({ ruleSetVersionId }).where('dealRegistrationId', '=', registrationId).execute(),
  );
}

async function record(registrationId: string, findings: ConflictFinding[]): Promise<void> {
  await inTransaction(deps, systemActor('test'), (trx) => recordConflicts(trx, registrationId, findings));
}

async function conflictIdsOf(registrationId: string): Promise<string[]> {
  const rows = await t.deps.db
    .selectFrom('registrationConflict')
    .select('registrationConflictId')
    .where('dealRegistrationId', '=', registrationId)
    .orderBy('registrationConflictId')
    .execute();
  return rows.map((r) => r.registrationConflictId);
}

async function registration(id: string) {
  return t.deps.db.selectFrom('dealRegistration').selectAll().where('dealRegistrationId', '=', id).executeTakeFirstOrThrow();
}

/** Partner B registered first (the existing claim); partner A's later registration found it. */
async function partnerConflict(
  opts: { existing?: RegistrationStatus; rules?: string; customer?: string; extra?: Partial<TestRegistration> } = {},
): Promise<{ conflictId: string; newId: string; existingId: string }> {
  const customer = opts.customer ?? `Cust ${Math.random().toString(36).slice(2, 8)}`;
  const existingId = await insertTestRegistration(deps, {
    partnerId: partnerB.id,
    scenarioId: consulting,
    customer,
    status: opts.existing ?? 'submitted',
    valueMinor: 7_777_700,
    submittedAt: new Date('2026-06-01T09:00:00Z'),
    submittedByUserId: sellerB.userId,
  });
  const newId = await insertTestRegistration(deps, {
    partnerId: partnerA.id,
    scenarioId: consulting,
    customer,
    submittedByUserId: sellerA.userId,
    ...opts.extra,
  });
  await setRules(newId, opts.rules ?? manualRules);
  await record(newId, [{ kind: 'partner_vs_partner', otherRegistrationId: existingId, accountId: null, matchReason: 'name', similarity: 1 }]);
  const [conflictId] = await conflictIdsOf(newId);
  if (!conflictId) throw new Error('no conflict recorded');
  return { conflictId, newId, existingId };
}

async function auditCount(): Promise<number> {
  const r = await t.deps.db
    .selectFrom('auditEntry')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** What the partner's own transaction can read of a registration's history (RLS applies). */
function eventsAs(actor: UserActor, registrationId: string) {
  return inTransaction(deps, actor, (trx) =>
    trx.selectFrom('registrationEvent').selectAll().where('dealRegistrationId', '=', registrationId).orderBy('seq').execute(),
  );
}

function allEvents(registrationId: string) {
  return t.deps.db.selectFrom('registrationEvent').selectAll().where('dealRegistrationId', '=', registrationId).orderBy('seq').execute();
}

const resolve = (id: string, resolution: ConflictResolution, note = 'Decided on the call of 15 June') => resolveConflict(deps, cm, id, { resolution, note });

describe('resolveConflict', () => {
  it('award_new: the new registration proceeds to its reviewer; the pending existing one is rejected neutrally; partners see only neutral events', async () => {
    const c = await partnerConflict();
    expect((await registration(c.newId)).inConflict).toBe(true);
    const before = await auditCount();
    const detail = await resolve(c.conflictId, 'award_new');
    expect(await auditCount()).toBe(before + 1);
    expect(detail.status).toBe('resolved');
    expect(detail.resolution).toBe('award_new');
    expect(detail.resolutionNote).toBe('Decided on the call of 15 June');

    const fresh = await registration(c.newId);
    expect(fresh.status).toBe('submitted');
    expect(fresh.inConflict).toBe(false);
    const existing = await registration(c.existingId);
    expect(existing.status).toBe('rejected');
    expect(existing.decisionReason).toBe(NEUTRAL_REASON_PREFERRED);

    // Partner B reads its own history: the rejection with the neutral reason, nothing internal.
    const seenByB = await eventsAs(sellerB, c.existingId);
    expect(seenByB.map((e) => e.kind)).toEqual(['status_changed']);
    expect(seenByB[0]).toMatchObject({ fromStatus: 'submitted', toStatus: 'rejected', note: NEUTRAL_REASON_PREFERRED, internalOnly: false });
    expect(JSON.stringify(seenByB)).not.toContain(partnerA.name);
    // Internally both registrations carry the details.
    const internalB = (await allEvents(c.existingId)).filter((e) => e.internalOnly);
    expect(internalB.map((e) => e.kind)).toEqual(['conflict_resolved']);
    expect(internalB[0]?.note).toContain(partnerA.name);
    expect(internalB[0]?.note).toContain('award new');
    const seenByA = await eventsAs(sellerA, c.newId);
    expect(seenByA.filter((e) => e.internalOnly)).toEqual([]);
    expect(seenByA.map((e) => e.kind)).not.toContain('conflict_detected');
    expect((await allEvents(c.newId)).map((e) => e.kind)).toEqual(['conflict_detected', 'conflict_resolved']);

    // B's submitting seller hears about it, neutrally.
    const notes = await t.deps.db.selectFrom('notification').selectAll().where('appUserId', '=', sellerB.userId).execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toBe(NEUTRAL_REASON_PREFERRED);
    expect(JSON.stringify(notes)).not.toContain(partnerA.name);
  });

  it('award_new under automatic approval: the new registration is approved, the approved existing one loses its protection today', async () => {
    const c = await partnerConflict({ existing: 'approved', rules: autoRules });
    await resolve(c.conflictId, 'award_new');
    const fresh = await registration(c.newId);
    expect(fresh).toMatchObject({ status: 'approved', inConflict: false, protectionEndsOn: '2026-09-13' });
    const existing = await registration(c.existingId);
    expect(existing).toMatchObject({ status: 'expired', protectionEndsOn: today });
    const seenByB = await eventsAs(sellerB, c.existingId);
    expect(seenByB).toHaveLength(1);
    expect(seenByB[0]).toMatchObject({ fromStatus: 'approved', toStatus: 'expired' });
    expect(seenByB[0]?.note).toContain(NEUTRAL_REASON_PREFERRED);
    const seenByA = await eventsAs(sellerA, c.newId);
    expect(seenByA.map((e) => [e.fromStatus, e.toStatus])).toEqual([['submitted', 'approved']]);
  });

  it('award_existing and reject_new: the new registration is rejected with the neutral reason; the existing one is untouched', async () => {
    for (const resolution of ['award_existing', 'reject_new'] as const) {
      const c = await partnerConflict();
      await resolve(c.conflictId, resolution);
      expect(await registration(c.newId)).toMatchObject({ status: 'rejected', inConflict: false, decisionReason: NEUTRAL_REASON_EARLIER });
      expect(await registration(c.existingId)).toMatchObject({ status: 'submitted' });
      const seenByA = await eventsAs(sellerA, c.newId);
      expect(seenByA).toHaveLength(1);
      expect(seenByA[0]).toMatchObject({ toStatus: 'rejected', note: NEUTRAL_REASON_EARLIER });
      expect(JSON.stringify(seenByA)).not.toContain(partnerB.name);
      expect(await eventsAs(sellerB, c.existingId)).toEqual([]);
    }
  });

  it('share and dismissed: both proceed; a registration with two open conflicts stays held until the last is resolved', async () => {
    const c = await partnerConflict({ rules: autoRules });
    const third = await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: migration, customer: 'Elsewhere', status: 'under_review' });
    await record(c.newId, [{ kind: 'partner_vs_partner', otherRegistrationId: third, accountId: null, matchReason: 'domain', similarity: null }]);
    const ids = await conflictIdsOf(c.newId);
    expect(ids).toHaveLength(2);
    const second = ids.find((i) => i !== c.conflictId) ?? '';

    await resolve(c.conflictId, 'share');
    expect(await registration(c.newId)).toMatchObject({ status: 'submitted', inConflict: true });
    expect(await registration(c.existingId)).toMatchObject({ status: 'submitted', inConflict: false });
    await resolve(second, 'dismissed');
    expect(await registration(c.newId)).toMatchObject({ status: 'approved', inConflict: false });
    expect(await registration(third)).toMatchObject({ status: 'under_review' });
  });

  it('a held registration cannot be approved until its conflict is resolved', async () => {
    const c = await partnerConflict();
    await expect(transitionRegistration(deps, cm, c.newId, { action: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await registration(c.newId)).toMatchObject({ status: 'submitted', inConflict: true });
    await resolve(c.conflictId, 'share');
    expect((await transitionRegistration(deps, cm, c.newId, { action: 'approve' })).status).toBe('approved');
  });

  it('dismissed under manual review: the registration waits for its reviewer, unheld', async () => {
    const c = await partnerConflict();
    await resolve(c.conflictId, 'dismissed');
    expect(await registration(c.newId)).toMatchObject({ status: 'submitted', inConflict: false });
    expect(await eventsAs(sellerA, c.newId)).toEqual([]);
  });

  it('refuses a second resolution (409) and one of two simultaneous resolutions', async () => {
    const c = await partnerConflict();
    await resolve(c.conflictId, 'share');
    await expect(resolve(c.conflictId, 'award_new')).rejects.toMatchObject({ code: 'conflict' });

    const d = await partnerConflict();
    const before = await auditCount();
    const outcomes = await Promise.allSettled([resolve(d.conflictId, 'award_new'), resolve(d.conflictId, 'award_existing')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected');
    expect(rejected?.status === 'rejected' && (rejected.reason as { code: string }).code).toBe('conflict');
    expect(await auditCount()).toBe(before + 1);
    // Exactly one effect: one of the two registrations was rejected, never both.
    const statuses = [(await registration(d.newId)).status, (await registration(d.existingId)).status].sort();
    expect(statuses).toEqual(['rejected', 'submitted']);
  });

  it('reject_new on a direct-owned account', async () => {
    const account = await createAccount(deps, systemActor('test'), {
      name: 'Direct Owned Plc',
      domain: 'direct-owned.example',
      country: 'GB',
      taxId: null,
      industry: null,
      segment: 'enterprise',
      parentAccountId: null,
    });
    const owner = await actorFor(['internal_seller']);
    await setAccountOwnership(deps, systemActor('test'), account.id, { kind: 'direct', partnerId: null, ownerUserId: owner.userId, startsOn: '2026-01-01' });
    const reg = await insertTestRegistration(deps, {
      partnerId: partnerA.id,
      scenarioId: consulting,
      customer: 'Direct Owned',
      submittedByUserId: sellerA.userId,
    });
    await setRules(reg, manualRules);
    await record(reg, [{ kind: 'partner_vs_direct', otherRegistrationId: null, accountId: account.id, matchReason: 'name', similarity: 0.8 }]);
    const [id] = await conflictIdsOf(reg);
    const detail = await getConflict(deps, cm, id ?? '');
    expect(detail.other).toBeNull();
    expect(detail.account).toMatchObject({
      accountId: account.id,
      name: 'Direct Owned Plc',
      currentOwner: { kind: 'direct', ownerUserName: owner.displayName },
    });
    expect(detail.suggestion).toContain('review');
    await resolve(id ?? '', 'reject_new');
    expect(await registration(reg)).toMatchObject({ status: 'rejected', decisionReason: NEUTRAL_REASON_EARLIER });
  });
});

describe('listConflicts and getConflict', () => {
  it('lists open conflicts first with both sides, and explains the policy of the rule set in force at submission', async () => {
    const c = await partnerConflict({ customer: 'Listing Ltd' });
    const page = await listConflicts(deps, cm, { status: 'open', limit: 200, offset: 0 });
    expect(page.items.every((i) => i.status === 'open')).toBe(true);
    expect(page.total).toBe(page.items.length);
    const item = page.items.find((i) => i.id === c.conflictId);
    expect(item?.registration).toMatchObject({ partnerName: partnerA.name, status: 'submitted', endCustomerName: 'Listing Ltd', inConflict: true });
    expect(item?.other).toMatchObject({ partnerName: partnerB.name, valueMinor: 7_777_700, submittedAt: '2026-06-01T09:00:00.000Z' });
    expect(item?.ageDays).toBe(0);

    const all = await listConflicts(deps, cm, { status: 'all', limit: 200, offset: 0 });
    const firstResolved = all.items.findIndex((i) => i.status === 'resolved');
    expect(firstResolved).toBeGreaterThan(0);
    expect(all.items.slice(firstResolved).every((i) => i.status === 'resolved')).toBe(true);

    const detail = await getConflict(deps, cm, c.conflictId);
    expect(detail.ruleSet).toMatchObject({
      id: manualRules,
      conflicts: { mode: 'first_to_register', directOwnedAccounts: 'review' },
      autoApproveWhenClear: false,
    });
    expect(detail.ruleSet?.plain.join(' ')).toContain('first to register');
    expect(detail.suggestion).toContain('award existing');
  });

  it('is refused to other internal roles (forbidden) and hidden from partners (not found)', async () => {
    const c = await partnerConflict();
    const seller = await actorFor(['internal_seller']);
    await expect(listConflicts(deps, seller, { status: 'open', limit: 10, offset: 0 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getConflict(deps, sellerA, c.conflictId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(resolveConflict(deps, sellerB, c.conflictId, { resolution: 'award_existing', note: 'mine' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await registration(c.newId)).toMatchObject({ status: 'submitted', inConflict: true });
  });
});

describe('getConflictHeatmap', () => {
  it('matches a hand-computed fixture', async () => {
    const partnerC = await makePartner(deps);
    const at = (d: string) => new Date(`${d}T12:00:00Z`);
    const sys = systemActor('test');
    const helix = await createAccount(deps, sys, {
      name: 'Helix Dynamics',
      domain: 'helix.example',
      country: 'FR',
      taxId: null,
      industry: null,
      segment: 'enterprise',
      parentAccountId: null,
    });
    await setAccountOwnership(deps, sys, helix.id, { kind: 'direct', partnerId: null, ownerUserId: null, startsOn: '2024-01-01' });
    const channel = await createAccount(deps, sys, {
      name: 'Channel Only SA',
      domain: null,
      country: 'ES',
      taxId: null,
      industry: null,
      segment: 'smb',
      parentAccountId: null,
    });
    await setAccountOwnership(deps, sys, channel.id, { kind: 'channel', partnerId: partnerA.id, ownerUserId: null, startsOn: '2024-01-01' });

    // Helix: direct-owned, one partner registration in the period (no country on it: the account's FR counts).
    await insertTestRegistration(deps, {
      partnerId: partnerA.id,
      scenarioId: consulting,
      customer: 'Helix',
      accountId: helix.id,
      valueMinor: 100_000,
      submittedAt: at('2025-01-10'),
    });
    // Orbitex (no account): two partners, one open conflict, two currencies.
    const o1 = await insertTestRegistration(deps, {
      partnerId: partnerA.id,
      scenarioId: consulting,
      customer: 'Orbitex',
      country: 'DE',
      valueMinor: 200_000,
      submittedAt: at('2025-01-05'),
    });
    const o2 = await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'Orbitex',
      country: 'DE',
      valueMinor: 300_000,
      submittedAt: at('2025-01-06'),
    });
    const o3 = await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: migration,
      customer: 'Orbitex',
      country: 'DE',
      valueMinor: 50_000,
      submittedAt: at('2025-01-07'),
    });
    await t.deps.db.updateTable('dealRegistration').set({ currency: 'USD' }).where('dealRegistrationId', '=', o3).execute();
    await record(o2, [{ kind: 'partner_vs_partner', otherRegistrationId: o1, accountId: null, matchReason: 'name', similarity: 1 }]);
    // Not overlapping: one partner only; a second partner only outside the period; a channel-owned account.
    await insertTestRegistration(deps, {
      partnerId: partnerA.id,
      scenarioId: consulting,
      customer: 'Quiet Corp',
      country: 'DE',
      submittedAt: at('2025-01-08'),
    });
    await insertTestRegistration(deps, {
      partnerId: partnerC.id,
      scenarioId: consulting,
      customer: 'Lonely Ltd',
      country: 'DE',
      submittedAt: at('2024-12-20'),
    });
    await insertTestRegistration(deps, {
      partnerId: partnerA.id,
      scenarioId: consulting,
      customer: 'Lonely Ltd',
      country: 'DE',
      submittedAt: at('2025-01-20'),
    });
    await insertTestRegistration(deps, {
      partnerId: partnerA.id,
      scenarioId: migration,
      customer: 'Channel Only',
      accountId: channel.id,
      submittedAt: at('2025-01-21'),
    });
    await insertTestRegistration(deps, {
      partnerId: partnerA.id,
      scenarioId: migration,
      customer: 'Channel Only',
      accountId: channel.id,
      submittedAt: at('2025-01-22'),
    });
    // Outside the period on the other end.
    await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'Helix',
      accountId: helix.id,
      submittedAt: at('2025-02-01'),
    });

    const map = await getConflictHeatmap(deps, cm, { from: '2025-01-01', to: '2025-02-01', limit: 100 });
    expect(map.totalCustomers).toBe(2);
    expect(map.customers).toEqual([
      {
        key: 'name:orbitex',
        accountId: null,
        name: 'Orbitex',
        country: 'DE',
        registrations: 3,
        partners: 2,
        directOwned: false,
        openConflicts: 1,
        values: [
          { currency: 'EUR', totalMinor: 500_000 },
          { currency: 'USD', totalMinor: 50_000 },
        ],
      },
      {
        key: `account:${helix.id}`,
        accountId: helix.id,
        name: 'Helix Dynamics',
        country: 'FR',
        registrations: 1,
        partners: 1,
        directOwned: true,
        openConflicts: 0,
        values: [{ currency: 'EUR', totalMinor: 100_000 }],
      },
    ]);
    const cells = (xs: typeof map.byCountry) => xs.map((c) => `${c.scenarioKey}/${c.column}=${c.registrations}/${c.customers}`).sort();
    expect(cells(map.byCountry)).toEqual(['consulting/DE=2/1', 'consulting/FR=1/1', 'migration/DE=1/1']);
    expect(cells(map.bySegment)).toEqual(['consulting/enterprise=1/1', 'consulting/unknown=2/1', 'migration/unknown=1/1']);
  });

  it('defaults to the 180 days up to today', async () => {
    const map = await getConflictHeatmap(deps, cm, { limit: 10 });
    expect(map.to).toBe('2026-06-16');
    expect(map.from).toBe('2025-12-18');
  });
});
