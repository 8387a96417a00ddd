import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleSetContent } from '../../../common/api/rules.ts';
import { systemActor, type UserActor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { createTestDeps, fixedClock, type TestDeps } from '../../test/test-db.ts';
import { makePartner, makeUser } from '../../test/harness.ts';
import { createAccount, normaliseAccountName, setAccountOwnership } from '../accounts/accounts.service.ts';
import { newId } from '../../lib/ids.ts';
import { detectConflicts, lockCustomerKeys, recordConflicts, recordConflictsBeforeRow, type ConflictCandidate } from './conflicts.repository.ts';
import { insertTestRegistration, scenarioIdOf } from './conflicts.test-support.ts';

const today = '2026-06-15';
let t: TestDeps;
let deps: Deps;
let partnerA: { id: string };
let partnerB: { id: string };
let actorA: UserActor;
let consulting: string;
let migration: string;
const review: RuleSetContent['conflicts'] = { mode: 'first_to_register', directOwnedAccounts: 'review', nameSimilarity: 0.55 };

beforeAll(async () => {
  t = await createTestDeps({ clock: fixedClock(`${today}T10:00:00Z`) });
  deps = t.deps;
  partnerA = await makePartner(deps);
  partnerB = await makePartner(deps);
  const u = await makeUser(deps, { roles: ['partner_seller'], partnerId: partnerA.id });
  actorA = {
    kind: 'user',
    userId: u.id,
    email: u.email,
    displayName: 'A',
    partnerId: partnerA.id,
    roles: ['partner_seller'],
    via: 'session',
    requestId: null,
  };
  consulting = await scenarioIdOf(deps, 'consulting');
  migration = await scenarioIdOf(deps, 'migration');
});
afterAll(async () => t.close());

async function candidateFor(customer: string, extra: Partial<ConflictCandidate> = {}): Promise<ConflictCandidate> {
  const registrationId = await insertTestRegistration(deps, {
    partnerId: partnerA.id,
    scenarioId: extra.scenarioId ?? consulting,
    customer,
    domain: extra.domain ?? null,
    taxId: extra.taxId ?? null,
    productLine: extra.productLine ?? null,
    accountId: extra.accountId ?? null,
  });
  return {
    registrationId,
    partnerId: partnerA.id,
    scenarioId: consulting,
    productLine: null,
    normalisedName: normaliseAccountName(customer),
    domain: null,
    taxId: null,
    accountId: null,
    ...extra,
  };
}

/** Detection as the submitting partner runs it: inside the partner's own RLS scope. */
function detectAsPartner(c: ConflictCandidate, policy = review) {
  return inTransaction(deps, actorA, (trx) => detectConflicts(trx, c, policy, today));
}

describe('detectConflicts', () => {
  it("finds another partner's pending registration by domain, tax id and fuzzy name, from inside the partner's scope", async () => {
    const byDomain = await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: consulting, customer: 'Zephyr Labs', domain: 'zephyr.example' });
    const byTax = await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'Quornby Holdings',
      taxId: 'DE123456789',
      status: 'under_review',
    });
    const byName = await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'ACME Corporation Inc.',
      status: 'approved',
      protectionEndsOn: '2026-09-01',
    });
    expect(await detectAsPartner(await candidateFor('Something Else', { domain: 'zephyr.example' }))).toEqual([
      { kind: 'partner_vs_partner', otherRegistrationId: byDomain, accountId: null, matchReason: 'domain', similarity: null },
    ]);
    expect(await detectAsPartner(await candidateFor('Quite Different', { taxId: 'DE123456789' }))).toEqual([
      { kind: 'partner_vs_partner', otherRegistrationId: byTax, accountId: null, matchReason: 'tax_id', similarity: null },
    ]);
    const named = await detectAsPartner(await candidateFor('Acme Corp'));
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({ kind: 'partner_vs_partner', otherRegistrationId: byName, matchReason: 'name' });
    expect(named[0]?.similarity).toBe(1);
  });

  it("ignores the partner's own registrations, closed windows, other scenarios and other product lines", async () => {
    await insertTestRegistration(deps, { partnerId: partnerA.id, scenarioId: consulting, customer: 'Own Customer', domain: 'own.example' });
    await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'Expired Co',
      domain: 'expired.example',
      status: 'approved',
      protectionEndsOn: '2026-06-14',
    });
    await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'Rejected Co',
      domain: 'rejected.example',
      status: 'rejected',
    });
    await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: consulting, customer: 'Drafty Co', domain: 'draft.example', status: 'draft' });
    await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: migration, customer: 'Migrating Co', domain: 'migrating.example' });
    await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'Lined Co',
      domain: 'lined.example',
      productLine: 'storage',
    });
    for (const domain of ['own.example', 'expired.example', 'rejected.example', 'draft.example', 'migrating.example']) {
      expect(await detectAsPartner(await candidateFor(`Probe ${domain}`, { domain })), domain).toEqual([]);
    }
    expect(await detectAsPartner(await candidateFor('Probe lined', { domain: 'lined.example', productLine: 'servers' }))).toEqual([]);
    expect(await detectAsPartner(await candidateFor('Probe lined 2', { domain: 'lined.example', productLine: 'storage' }))).toHaveLength(1);
    expect(await detectAsPartner(await candidateFor('Probe lined 3', { domain: 'lined.example', productLine: null }))).toHaveLength(1);
    // An approved window that ends today still protects today.
    await insertTestRegistration(deps, {
      partnerId: partnerB.id,
      scenarioId: consulting,
      customer: 'Edge Co',
      domain: 'edge.example',
      status: 'approved',
      protectionEndsOn: today,
    });
    expect(await detectAsPartner(await candidateFor('Probe edge', { domain: 'edge.example' }))).toHaveLength(1);
  });

  it('flags a direct-owned account under review and excluded, not under shared', async () => {
    const cm = systemActor('test');
    const account = await createAccount(deps, cm, {
      name: 'Direct Dynamics GmbH',
      domain: 'direct-dynamics.example',
      country: 'DE',
      taxId: 'DE999',
      industry: null,
      segment: 'enterprise',
      parentAccountId: null,
    });
    await setAccountOwnership(deps, cm, account.id, { kind: 'direct', partnerId: null, ownerUserId: null, startsOn: '2026-01-01' });
    const byName = await candidateFor('Direct Dynamics');
    expect(await detectAsPartner(byName)).toEqual([
      { kind: 'partner_vs_direct', otherRegistrationId: null, accountId: account.id, matchReason: 'name', similarity: 1 },
    ]);
    expect(await detectAsPartner(byName, { ...review, directOwnedAccounts: 'excluded' })).toHaveLength(1);
    expect(await detectAsPartner(byName, { ...review, directOwnedAccounts: 'shared' })).toEqual([]);
    const byAccount = await candidateFor('Renamed', { accountId: account.id });
    expect(await detectAsPartner(byAccount)).toEqual([
      { kind: 'partner_vs_direct', otherRegistrationId: null, accountId: account.id, matchReason: 'account', similarity: null },
    ]);
    expect(await detectAsPartner(await candidateFor('Other Name', { taxId: 'DE999' }))).toMatchObject([{ matchReason: 'tax_id' }]);

    const channel = await createAccount(deps, cm, {
      name: 'Channel Works',
      domain: 'channel-works.example',
      country: 'DE',
      taxId: null,
      industry: null,
      segment: 'smb',
      parentAccountId: null,
    });
    await setAccountOwnership(deps, cm, channel.id, { kind: 'channel', partnerId: partnerB.id, ownerUserId: null, startsOn: '2026-01-01' });
    expect(await detectAsPartner(await candidateFor('Channel Works'))).toEqual([]);
  });

  it('leaves the partner scope and the trigram threshold as they were', async () => {
    const c = await candidateFor('Scope Check');
    const after = await inTransaction(deps, actorA, async (trx) => {
      await detectConflicts(trx, c, review, today);
      return trx.selectFrom('dealRegistration').select('partnerId').distinct().execute();
    });
    expect(after.map((r) => r.partnerId)).toEqual([partnerA.id]);
  });
});

describe('recordConflicts', () => {
  it('records open conflicts, marks the registration and writes an internal-only event the partner cannot read', async () => {
    await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: consulting, customer: 'Recorded Ltd', domain: 'recorded.example' });
    const c = await candidateFor('Recorded', { domain: 'recorded.example' });
    const seenByPartner = await inTransaction(deps, actorA, async (trx) => {
      const findings = await detectConflicts(trx, c, review, today);
      await recordConflicts(trx, c.registrationId, findings);
      const conflicts = await trx.selectFrom('registrationConflict').selectAll().execute();
      const events = await trx.selectFrom('registrationEvent').selectAll().where('dealRegistrationId', '=', c.registrationId).execute();
      return { findings, conflicts, events };
    });
    expect(seenByPartner.findings).toHaveLength(1);
    expect(seenByPartner.conflicts).toEqual([]);
    expect(seenByPartner.events).toEqual([]);
    const internal = await inTransaction(deps, systemActor('test'), async (trx) => ({
      conflicts: await trx.selectFrom('registrationConflict').selectAll().where('dealRegistrationId', '=', c.registrationId).execute(),
      events: await trx.selectFrom('registrationEvent').selectAll().where('dealRegistrationId', '=', c.registrationId).execute(),
      reg: await trx.selectFrom('dealRegistration').select('inConflict').where('dealRegistrationId', '=', c.registrationId).executeTakeFirstOrThrow(),
    }));
    expect(internal.conflicts).toMatchObject([{ kind: 'partner_vs_partner', matchReason: 'domain', status: 'open' }]);
    expect(internal.events).toMatchObject([{ kind: 'conflict_detected', internalOnly: true }]);
    expect(internal.reg.inConflict).toBe(true);
  });

  it('records nothing when there is nothing to record', async () => {
    const c = await candidateFor('Lonely Customer Unique');
    await inTransaction(deps, actorA, (trx) => recordConflicts(trx, c.registrationId, []));
    const rows = await inTransaction(deps, systemActor('test'), (trx) =>
      trx.selectFrom('registrationConflict').selectAll().where('dealRegistrationId', '=', c.registrationId).execute(),
    );
    expect(rows).toEqual([]);
  });
});

describe('recordConflictsBeforeRow (a registration submitted at once, migration 0031)', () => {
  it('keeps conflicts whose registration is inserted later in the transaction, and refuses them at commit when it never is', async () => {
    const existing = await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: consulting, customer: 'Deferred Ltd' });
    const finding = { kind: 'partner_vs_partner', otherRegistrationId: existing, accountId: null, matchReason: 'name', similarity: 1 } as const;
    const at = new Date(`${today}T10:00:00Z`);
    const later = newId();
    await inTransaction(deps, systemActor('test'), async (trx) => {
      await recordConflictsBeforeRow(trx, later, [finding], at);
      await sql`insert into deal_registration (deal_registration_id, reference, partner_id, status, source, scenario_id, end_customer_name,
          end_customer_normalised_name, value_minor, currency, in_conflict, submitted_at)
        values (${later}::uuid, ${`REG-T-${later}`}, ${partnerA.id}::uuid, 'submitted', 'partner', ${consulting}::uuid, 'Deferred', 'deferred', 1000, 'EUR', true, ${at})`.execute(
        trx,
      );
    });
    const kept = await inTransaction(deps, systemActor('test'), (trx) =>
      trx.selectFrom('registrationConflict').select(['otherRegistrationId', 'createdAt']).where('dealRegistrationId', '=', later).execute(),
    );
    expect(kept).toEqual([{ otherRegistrationId: existing, createdAt: at }]);

    const never = newId();
    await expect(inTransaction(deps, systemActor('test'), (trx) => recordConflictsBeforeRow(trx, never, [finding], at))).rejects.toMatchObject({
      code: '23503',
    });
    const orphans = await inTransaction(deps, systemActor('test'), (trx) =>
      trx.selectFrom('registrationConflict').select('registrationConflictId').where('dealRegistrationId', '=', never).execute(),
    );
    expect(orphans).toEqual([]);
  });
});

describe('the distinct customer match keys (migration 0010)', () => {
  const keysLike = (pattern: string) =>
    inTransaction(deps, systemActor('test'), async (trx) => {
      const r = await sql<{ matchKey: string }>`select match_key from customer_match_key where match_key like ${pattern} order by match_key`.execute(trx);
      return r.rows.map((x) => x.matchKey);
    });

  it("hold the key of every registration and account written, whoever writes it, and follow a renamed draft's name", async () => {
    await insertTestRegistration(deps, { partnerId: partnerA.id, scenarioId: consulting, customer: 'Keyholder Freight Group', status: 'draft' });
    await inTransaction(deps, actorA, (trx) =>
      sql`update deal_registration set end_customer_normalised_name = 'keyholder renamed systems' where end_customer_normalised_name = 'keyholder freight group'`.execute(
        trx,
      ),
    );
    await createAccount(deps, systemActor('test'), {
      name: 'Keyholder Account Holdings',
      domain: null,
      country: null,
      segment: null,
      taxId: null,
      industry: null,
      parentAccountId: null,
    });
    // Generic words are not part of the key; a key already held is not added twice.
    await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: consulting, customer: 'Keyholder Freight' });
    expect(await keysLike('keyholder%')).toEqual(['keyholder account', 'keyholder freight', 'keyholder renamed']);
  });

  it('finds a renamed registration by its new name', async () => {
    const other = await insertTestRegistration(deps, { partnerId: partnerB.id, scenarioId: consulting, customer: 'Brindlemoor Analytics' });
    await inTransaction(deps, systemActor('test'), (trx) =>
      sql`update deal_registration set end_customer_normalised_name = 'quillhaven analytics' where deal_registration_id = ${other}::uuid`.execute(trx),
    );
    const found = await detectAsPartner(await candidateFor('Quillhaven Analytics'));
    expect(found).toMatchObject([{ otherRegistrationId: other, matchReason: 'name' }]);
  });

  it('are read by nobody but the system and internal scopes, and written by nobody but the triggers', async () => {
    const seen = await inTransaction(
      deps,
      actorA,
      async (trx) => (await sql<{ n: string }>`select count(*) as n from customer_match_key`.execute(trx)).rows[0]?.n,
    );
    expect(Number(seen)).toBe(0);
    await expect(inTransaction(deps, actorA, (trx) => sql`insert into customer_match_key (match_key) values ('planted')`.execute(trx))).rejects.toThrow(
      /permission denied/,
    );
    await expect(inTransaction(deps, systemActor('test'), (trx) => sql`delete from customer_match_key`.execute(trx))).rejects.toThrow(/permission denied/);
  });
});

describe('lockCustomerKeys', () => {
  it('makes a second submission on the same customer wait for the first to commit', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let firstLocked!: () => void;
    const locked = new Promise<void>((r) => (firstLocked = r));
    const first = inTransaction(deps, actorA, async (trx) => {
      await lockCustomerKeys(trx, { normalisedName: 'lock test', domain: 'lock.example', taxId: null });
      firstLocked();
      await firstHolds;
      order.push('first commits');
    });
    await locked;
    const second = inTransaction(deps, actorA, async (trx) => {
      // Shares only the domain, with keys in a different order.
      await lockCustomerKeys(trx, { normalisedName: 'another name', domain: 'LOCK.example', taxId: 'X1' });
      order.push('second locked');
    });
    await new Promise((r) => setTimeout(r, 200));
    order.push('released');
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['released', 'first commits', 'second locked']);
  });
});
