import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FxRatePage, UpsertFxRateResult } from '../../../common/api/commissions-fx.ts';
import { systemActor } from '../../actor.ts';
import { inTransaction } from '../../deps.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../../test/harness.ts';
import { fxLookup } from './estimator.rules.ts';
import { fxRatesInto } from './estimator.repository.ts';

let t: TestApp;
let admin: Session, finance: Session, seller: Session, partner: Session;

beforeAll(async () => {
  t = await createTestApp();
  const p = await makePartner(t.deps);
  const users = await Promise.all([
    makeUser(t.deps, { roles: ['comp_admin'] }),
    makeUser(t.deps, { roles: ['finance'] }),
    makeUser(t.deps, { roles: ['internal_seller'] }),
    makeUser(t.deps, { roles: ['partner_admin'], partnerId: p.id }),
  ]);
  const [a, f, s, p2] = users;
  if (!a || !f || !s || !p2) throw new Error('users');
  admin = await signIn(t.app, a.email);
  finance = await signIn(t.app, f.email);
  seller = await signIn(t.app, s.email);
  partner = await signIn(t.app, p2.email);
});
afterAll(async () => t?.close());

const put = (s: Session, payload: object) => t.app.inject({ method: 'PUT', url: '/api/comp/fx-rates', headers: s.headers, payload });
const list = (s: Session, query = '') => t.app.inject({ method: 'GET', url: `/api/comp/fx-rates${query}`, headers: s.headers });

async function auditOf(entityId: string) {
  return inTransaction(t.deps, systemActor('test'), (trx) =>
    trx
      .selectFrom('auditEntry')
      .select(['action', 'before', 'after'])
      .where('entityType', '=', 'fx_rate')
      .where('entityId', '=', entityId)
      .orderBy('seq')
      .execute(),
  );
}

describe('setting dated rates', () => {
  it('creates, replaces (keeping the old rate in the audit log) and lists newest day first', async () => {
    const first = await put(admin, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '0.9' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<UpsertFxRateResult>()).toMatchObject({
      rate: { currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '0.9' },
      replaced: null,
    });
    const again = await put(finance, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '0.9125' });
    expect(again.json<UpsertFxRateResult>().replaced).toBe('0.9');
    expect((await put(admin, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-02-01', rate: '0.95' })).statusCode).toBe(200);
    expect((await put(admin, { currency: 'GBP', toCurrency: 'EUR', validOn: '2027-01-01', rate: '1.15' })).statusCode).toBe(200);

    const usd = (await list(admin, '?currency=USD')).json<FxRatePage>();
    expect(usd.total).toBe(2);
    expect(usd.items.map((r) => [r.validOn, r.rate])).toEqual([
      ['2027-02-01', '0.95'],
      ['2027-01-01', '0.9125'],
    ]);
    expect((await list(finance)).json<FxRatePage>().total).toBe(3);

    const audit = await auditOf('USD/EUR@2027-01-01');
    expect(audit.map((a) => a.action)).toEqual(['fx_rate.create', 'fx_rate.replace']);
    expect(audit[1]).toMatchObject({ before: { rate: '0.9' }, after: { rate: '0.9125' } });
  });

  it('stores the rate exactly, as the runs and the estimator read it', async () => {
    const rows = await inTransaction(t.deps, systemActor('test'), (trx) => fxRatesInto(trx, 'EUR', '2028-01-01'));
    const at = fxLookup(rows);
    expect(at('USD', 'EUR', '2027-01-31')).toEqual({ numerator: 9125n, denominator: 10_000n, rate: '0.9125', on: '2027-01-01' });
    expect(at('USD', 'EUR', '2027-03-01')?.rate).toBe('0.95');
  });

  it.each([
    [{ currency: 'usd', toCurrency: 'EUR', validOn: '2027-01-01', rate: '1' }, 'currency'],
    [{ currency: 'USD', toCurrency: 'USD', validOn: '2027-01-01', rate: '1' }, 'toCurrency'],
    [{ currency: 'USD', toCurrency: 'EUR', validOn: '2027-13-01', rate: '1' }, 'validOn'],
    [{ currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '0' }, 'rate'],
    [{ currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '-1.2' }, 'rate'],
    [{ currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '1e3' }, 'rate'],
    [{ currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: 1.2 }, 'rate'],
    [{ currency: 'USD', toCurrency: 'EUR', validOn: '2027-01-01', rate: '123456789012.123456789012' }, 'rate'],
  ])('refuses %j, naming %s', async (payload, field) => {
    const r = await put(admin, payload);
    expect(r.statusCode).toBe(400);
    const issues = r.json<{ issues: { path: string }[] }>().issues;
    expect(
      issues.some((i) => i.path.includes(field)),
      JSON.stringify(issues),
    ).toBe(true);
  });
});

describe('who may', () => {
  it('refuses sellers and answers 404 to partner users', async () => {
    expect((await put(seller, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-05-01', rate: '1' })).statusCode).toBe(403);
    expect((await list(seller)).statusCode).toBe(403);
    expect((await put(partner, { currency: 'USD', toCurrency: 'EUR', validOn: '2027-05-01', rate: '1' })).statusCode).toBe(404);
    expect((await list(partner)).statusCode).toBe(404);
  });
});
