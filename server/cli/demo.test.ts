import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../deps.ts';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
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
    expect(await count(a.deps, 'notification')).toBe(c.notifications);
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
    expect(new Set(actions.map((x) => x.action))).toEqual(
      new Set(['demo.load', 'user.create', 'partner.create', 'partner_contact.create', 'account.create', 'account.ownership.set']),
    );
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
