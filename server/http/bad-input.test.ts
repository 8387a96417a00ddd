import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { amountMinor, currencyCode } from '../../common/money.ts';
import { isoDate } from '../../common/dates.ts';
import { problem } from '../../common/errors.ts';
import { buildApp } from '../app.ts';
import { AppError } from '../lib/errors.ts';
import { createTestApp, makePartner, makeUser, signIn, type Session, type TestApp } from '../test/harness.ts';
import { createTestDeps, testConfig, type TestDeps } from '../test/test-db.ts';

const BODY_LIMIT = 2048;
let t: TestApp;
let s: Session;
let partnerId: string;
let accountId: string;

beforeAll(async () => {
  t = await createTestApp({ env: { REALIGN_BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
  const admin = await makeUser(t.deps, { roles: ['admin'] });
  s = await signIn(t.app, admin.email);
  partnerId = (await makePartner(t.deps, 'Existing Partner')).id;
  const acc = await t.app.inject({ method: 'POST', url: '/api/accounts', headers: s.headers, payload: { name: 'Existing Customer' } });
  expect(acc.statusCode, acc.body).toBe(201);
  accountId = acc.json<{ id: string }>().id;
});
afterAll(async () => t?.close());

const tables = ['partner', 'partnerContact', 'appUser', 'auditEntry', 'account', 'accountOwnership', 'apiToken'] as const;
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const r = await t.deps.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

type Req = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  rawBody?: string;
  contentType?: string;
  query?: Record<string, string>;
};

/** Sends a request, checks the answer is a problem+json with the given status and code, and that nothing was written. */
async function refused(req: Req, status: number, code: string) {
  const before = await rowCounts();
  const headers: Record<string, string> = { ...s.headers };
  if (req.contentType) headers['content-type'] = req.contentType;
  else if (req.rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await t.app.inject({
    method: req.method,
    url: req.url,
    headers,
    ...(req.rawBody !== undefined ? { body: req.rawBody } : req.payload !== undefined ? { payload: req.payload as object } : {}),
    ...(req.query ? { query: req.query } : {}),
  });
  expect(res.statusCode, `${req.method} ${req.url}: ${res.body}`).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = problem.parse(res.json());
  expect(body.code).toBe(code);
  expect(await rowCounts()).toEqual(before);
  return body;
}

const paths = (p: { issues?: { path: string }[] }) => (p.issues ?? []).map((i) => i.path);

describe('malformed bodies', () => {
  it('broken JSON is 400 bad_request', async () => {
    for (const raw of ['{"name":', '{name: "x"}', "{'name':'x'}", '{"name":"x",}', 'nul', '{"a":1}{']) {
      await refused({ method: 'POST', url: '/api/partners', rawBody: raw }, 400, 'bad_request');
    }
  });

  it('a __proto__ key is refused, not merged', async () => {
    await refused({ method: 'POST', url: '/api/partners', rawBody: '{"name":"Proto Ltd","__proto__":{"isAdmin":true}}' }, 400, 'bad_request');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('a body that is not an object is a validation failure', async () => {
    for (const raw of ['[]', '"name"', '42', 'null', 'true']) {
      const p = await refused({ method: 'POST', url: '/api/partners', rawBody: raw }, 400, 'validation_failed');
      expect(paths(p)).toContain('body');
    }
  });

  it('a body in another media type is refused without a 500', async () => {
    // text/plain has a parser (the body becomes a string), so it fails validation; unknown types are 415.
    const plain = await refused({ method: 'POST', url: '/api/partners', rawBody: 'name=x', contentType: 'text/plain' }, 400, 'validation_failed');
    expect(paths(plain)).toEqual(['body']);
    const before = await rowCounts();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers: { ...s.headers, 'content-type': 'application/xml' },
      body: '<name>x</name>',
    });
    expect(res.statusCode, res.body).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ code: string }>().code).toBe('bad_request');
    expect(await rowCounts()).toEqual(before);
  });

  it(`a body over REALIGN_BODY_LIMIT_BYTES (${BODY_LIMIT}) is 413 payload_too_large`, async () => {
    expect(t.deps.config.http.bodyLimitBytes).toBe(BODY_LIMIT);
    const p = await refused({ method: 'POST', url: '/api/partners', payload: { name: 'x'.repeat(BODY_LIMIT) } }, 413, 'payload_too_large');
    expect(p.detail).toContain(String(BODY_LIMIT));
  });
});

describe('schema validation', () => {
  const cases: [string, Req, string[]][] = [
    ['wrong type', { method: 'POST', url: '/api/partners', payload: { name: 123 } }, ['body.name']],
    ['null for a required field', { method: 'POST', url: '/api/partners', payload: { name: null } }, ['body.name']],
    ['missing required field', { method: 'POST', url: '/api/partners', payload: { website: 'https://x.test' } }, ['body.name']],
    ['empty after trimming', { method: 'POST', url: '/api/partners', payload: { name: '   ' } }, ['body.name']],
    ['too long', { method: 'POST', url: '/api/partners', payload: { name: 'n'.repeat(201) } }, ['body.name']],
    ['bad enum value', { method: 'POST', url: '/api/partners', payload: { name: 'Enum Ltd', status: 'deleted' } }, ['body.status']],
    ['bad pattern', { method: 'POST', url: '/api/partners', payload: { name: 'Country Ltd', country: 'Germany' } }, ['body.country']],
    ['number as string', { method: 'POST', url: '/api/api-tokens', payload: { name: 'x', scopes: ['read'], expiresInDays: '30' } }, ['body.expiresInDays']],
    ['out of range', { method: 'POST', url: '/api/api-tokens', payload: { name: 'x', scopes: ['read'], expiresInDays: 10_000 } }, ['body.expiresInDays']],
    ['fractional integer', { method: 'POST', url: '/api/api-tokens', payload: { name: 'x', scopes: ['read'], expiresInDays: 1.5 } }, ['body.expiresInDays']],
    ['bad array item', { method: 'POST', url: '/api/api-tokens', payload: { name: 'x', scopes: ['read', 'root'] } }, ['body.scopes[1]']],
    ['empty array', { method: 'POST', url: '/api/api-tokens', payload: { name: 'x', scopes: [] } }, ['body.scopes']],
    ['bad e-mail', { method: 'POST', url: `/api/partners/PID/contacts`, payload: { name: 'Ada', email: 'not an e-mail' } }, ['body.email']],
    [
      'bad uuid in body',
      {
        method: 'POST',
        url: '/api/users',
        payload: { email: 'a@b.test', password: 'long enough password', displayName: 'A', roles: ['admin'], partnerId: 'nope' },
      },
      ['body.partnerId'],
    ],
    [
      'short password',
      { method: 'POST', url: '/api/users', payload: { email: 'a@b.test', password: 'short', displayName: 'A', roles: ['admin'] } },
      ['body.password'],
    ],
    [
      'unknown role',
      { method: 'POST', url: '/api/users', payload: { email: 'a@b.test', password: 'long enough password', displayName: 'A', roles: ['god'] } },
      ['body.roles[0]'],
    ],
    ['invalid calendar date', { method: 'POST', url: '/api/accounts/AID/ownership', payload: { kind: 'direct', startsOn: '2026-02-30' } }, ['body.startsOn']],
    ['date in another format', { method: 'POST', url: '/api/accounts/AID/ownership', payload: { kind: 'direct', startsOn: '01/02/2026' } }, ['body.startsOn']],
    [
      'date-time instead of date',
      { method: 'POST', url: '/api/accounts/AID/ownership', payload: { kind: 'direct', startsOn: '2026-01-01T00:00:00Z' } },
      ['body.startsOn'],
    ],
    ['bad uuid in the path', { method: 'GET', url: '/api/partners/not-a-uuid' }, ['params.id']],
    ['bad uuid in the path of a change', { method: 'PATCH', url: '/api/partners/1234', payload: { name: 'x' } }, ['params.id']],
    ['bad second path parameter', { method: 'PATCH', url: '/api/partners/PID/contacts/zzz', payload: { name: 'x' } }, ['params.contactId']],
    ['bad uuid in a delete', { method: 'DELETE', url: "/api/api-tokens/'%20or%201=1--" }, ['params.id']],
    ['bad query number', { method: 'GET', url: '/api/partners', query: { limit: 'abc' } }, ['querystring.limit']],
    ['query out of range', { method: 'GET', url: '/api/partners', query: { limit: '100000' } }, ['querystring.limit']],
    ['negative offset', { method: 'GET', url: '/api/partners', query: { offset: '-1' } }, ['querystring.offset']],
    ['search text too long', { method: 'GET', url: '/api/partners', query: { q: 'q'.repeat(201) } }, ['querystring.q']],
    ['empty PATCH field', { method: 'PATCH', url: '/api/partners/PID', payload: { name: '' } }, ['body.name']],
  ];
  for (const [label, req, expectedPaths] of cases) {
    it(`${label}: 400 validation_failed at ${expectedPaths.join(', ')}`, async () => {
      const url = req.url.replace('PID', partnerId).replace('AID', accountId);
      const p = await refused({ ...req, url }, 400, 'validation_failed');
      for (const path of expectedPaths) expect(paths(p), p.detail).toContain(path);
    });
  }

  it('unknown fields are refused (bodies are strict) and the issue names the field', async () => {
    for (const [url, payload, path] of [
      ['/api/partners', { name: 'Strict Ltd', isAdmin: true }, 'body.isAdmin'],
      ['/api/users', { email: 'strict@b.test', password: 'long enough password', displayName: 'A', roles: ['admin'], passwordHash: 'x' }, 'body.passwordHash'],
      [`/api/partners/${partnerId}/contacts`, { name: 'Ada', partnerId }, 'body.partnerId'],
    ] as const) {
      const p = await refused({ method: 'POST', url, payload }, 400, 'validation_failed');
      expect(paths(p)).toEqual([path]);
    }
    const two = await refused({ method: 'POST', url: '/api/partners', payload: { name: 'Strict Ltd', a: 1, b: 2 } }, 400, 'validation_failed');
    expect(paths(two)).toEqual(['body.a', 'body.b']);
    const q = await refused({ method: 'GET', url: '/api/partners', query: { sort: 'name' } }, 400, 'validation_failed');
    expect(paths(q)).toEqual(['querystring.sort']);
  });
});

describe('hostile but valid values', () => {
  it('SQL-looking text is stored verbatim and harmless', async () => {
    const evil = ["'; drop table partner; --", "Robert'); DROP TABLE app_user;--", '" or 1=1 --', '%_\\', '$1 $$ ;'];
    for (const name of evil) {
      const res = await t.app.inject({ method: 'POST', url: '/api/partners', headers: s.headers, payload: { name, legalName: name } });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json<{ id: string }>().id;
      const row = await t.deps.db.selectFrom('partner').select(['name', 'legalName']).where('partnerId', '=', id).executeTakeFirstOrThrow();
      expect(row).toEqual({ name: name.trim(), legalName: name.trim() });
      // Searching for it finds exactly it: wildcards in the search text are literal.
      const found = await t.app.inject({ method: 'GET', url: '/api/partners', headers: s.headers, query: { q: name } });
      expect(found.json<{ items: { id: string }[] }>().items.map((p) => p.id)).toContain(id);
    }
    const pct = await t.app.inject({ method: 'GET', url: '/api/partners', headers: s.headers, query: { q: '%_\\' } });
    expect(pct.json<{ total: number }>().total).toBe(1);
    // The tables are all still there.
    expect(await rowCounts()).toMatchObject({ partner: expect.any(Number), appUser: expect.any(Number) });
  });

  it('a NUL character is refused with 400, not a 500', async () => {
    await refused({ method: 'POST', url: '/api/partners', payload: { name: 'Nul\u0000Ltd' } }, 400, 'validation_failed');
  });

  it('the longest allowed values are accepted', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/partners',
      headers: s.headers,
      payload: { name: 'L'.repeat(200), legalName: 'L'.repeat(300), website: 'w'.repeat(300) },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('amounts and dates in schemas (no route takes an amount yet)', () => {
  const schema = z.strictObject({ amountMinor, currency: currencyCode, bookedOn: isoDate });
  const cases: [unknown, string | null][] = [
    [{ amountMinor: 1999, currency: 'USD', bookedOn: '2026-03-31' }, null],
    [{ amountMinor: -5, currency: 'EUR', bookedOn: '2024-02-29' }, null],
    [{ amountMinor: 19.99, currency: 'USD', bookedOn: '2026-03-31' }, 'amountMinor'],
    [{ amountMinor: '1999', currency: 'USD', bookedOn: '2026-03-31' }, 'amountMinor'],
    [{ amountMinor: 2 ** 60, currency: 'USD', bookedOn: '2026-03-31' }, 'amountMinor'],
    [{ amountMinor: 1, currency: 'usd', bookedOn: '2026-03-31' }, 'currency'],
    [{ amountMinor: 1, currency: 'US', bookedOn: '2026-03-31' }, 'currency'],
    [{ amountMinor: 1, currency: 'USD', bookedOn: '2026-04-31' }, 'bookedOn'],
    [{ amountMinor: 1, currency: 'USD', bookedOn: '2023-02-29' }, 'bookedOn'],
    [{ amountMinor: 1, currency: 'USD', bookedOn: '31.03.2026' }, 'bookedOn'],
  ];
  for (const [input, badPath] of cases) {
    it(`${JSON.stringify(input)} is ${badPath ? `refused at ${badPath}` : 'accepted'}`, () => {
      const r = schema.safeParse(input);
      expect(r.success).toBe(badPath === null);
      if (!r.success) expect(r.error.issues.map((i) => i.path.join('.'))).toContain(badPath);
    });
  }
});

describe('routing and unexpected errors', () => {
  it('an unknown route is a 404 problem+json', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/partners/x/y/z'],
      ['DELETE', '/api/partners'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: s.headers });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json<{ code: string }>().code).toBe('not_found');
    }
  });

  it('an error that is not an AppError is a 500 with a generic detail that leaks nothing', async () => {
    const td: TestDeps = await createTestDeps({ config: testConfig() });
    const app = await buildApp(td.deps);
    app.get('/api/boom', { config: { public: true } }, async () => {
      throw new Error('secret connection string postgres://admin:hunter2@db');
    });
    app.get('/api/boom-typed', { config: { public: true } }, async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'hunter2')");
    });
    app.get('/api/boom-app', { config: { public: true } }, async () => {
      throw new AppError('conflict', 'A deliberate conflict');
    });
    try {
      await app.ready();
      for (const url of ['/api/boom', '/api/boom-typed']) {
        const res = await app.inject({ method: 'GET', url, headers: { 'x-request-id': '5f0b5f43-64cb-4b7e-9c4f-1d0f5d3c9a11' } });
        expect(res.statusCode).toBe(500);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const body = problem.parse(res.json());
        expect(body.code).toBe('internal');
        expect(res.body).not.toContain('hunter2');
        expect(res.body).not.toMatch(/stack|Error:/);
        expect(body.requestId).toBe('5f0b5f43-64cb-4b7e-9c4f-1d0f5d3c9a11');
        expect(body.detail).toContain(body.requestId);
      }
      const known = await app.inject({ method: 'GET', url: '/api/boom-app' });
      expect(known.statusCode).toBe(409);
      expect(known.json<{ detail: string }>().detail).toBe('A deliberate conflict');
    } finally {
      await app.close();
      await td.close();
    }
  });

  it('a request id that is not a uuid is replaced', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { 'x-request-id': '<script>alert(1)</script>' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json<{ requestId: string }>().requestId).toBe(res.headers['x-request-id']);
  });
});
