import { describe, expect, it } from 'vitest';
import { normaliseAccountName, normaliseDomain, ownershipProblem, periodContains, successionProblem } from './accounts.rules.ts';

describe('normaliseAccountName', () => {
  it.each([
    ['Acme Inc.', 'acme'],
    ['ACME, Inc', 'acme'],
    ['Acme Corporation', 'acme'],
    ['Acme Corp', 'acme'],
    ['Acme Co., Ltd.', 'acme'],
    ['Müller Logistik GmbH', 'muller logistik'],
    ['Société Générale S.A.', 'societe generale'],
    ['Harlow Freight LLC', 'harlow freight'],
    ['  Northwind   Traders  ', 'northwind traders'],
    ['Johnson & Johnson', 'johnson and johnson'],
    ["O'Neil Systems Ltd", 'oneil systems'],
    ['Co-operative Bank plc', 'co operative bank'],
    ['The Company', 'the'],
    ['Inc', 'inc'],
    ['Coca Co Holdings', 'coca co holdings'],
    ['3M Company', '3m'],
    ['Kestrel Energy sp. z o.o.', 'kestrel energy'],
    ['Alder Retail (Pty) Ltd', 'alder retail'],
    ['Foxley Bank Pvt Ltd', 'foxley bank'],
    ['', ''],
    ['---', ''],
    ['The Acme Group', 'acme group'],
    ['Müller Bau GmbH & Co. KG', 'muller bau'],
    ['Sørensen Æble Łódź', 'sorensen aeble lodz'],
    ['Straße Werke AG', 'strasse werke'],
    ['Thornbury Public Limited Company', 'thornbury'],
    ['Smith & Sons', 'smith and sons'],
    ['Them And Us', 'them and us'],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseAccountName(input)).toBe(expected);
  });
});

describe('normaliseDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['Example.COM', 'example.com'],
    ['https://www.example.com/about?x=1', 'example.com'],
    ['http://shop.example.co.uk:8080/', 'shop.example.co.uk'],
    ['www.example.com.', 'example.com'],
    ['mailto:someone@example.org', 'example.org'],
    ['user@example.org', 'example.org'],
    ['localhost', null],
    ['not a domain', null],
    ['-bad.example.com', null],
    ['', null],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });
});

describe('ownershipProblem', () => {
  const partner = '00000000-0000-4000-8000-000000000001';
  it.each([
    ['direct', null, null],
    ['direct', partner, 'direct ownership has no partner'],
    ['channel', partner, null],
    ['channel', null, 'channel ownership needs a partner'],
    ['shared', partner, null],
    ['shared', null, 'shared ownership needs a partner'],
  ] as const)('%s with partner %s -> %s', (kind, partnerId, expected) => {
    expect(ownershipProblem({ kind, partnerId })).toBe(expected);
  });
});

describe('periods', () => {
  it.each([
    [{ startsOn: '2026-01-01', endsOn: '2026-02-01' }, '2025-12-31', false],
    [{ startsOn: '2026-01-01', endsOn: '2026-02-01' }, '2026-01-01', true],
    [{ startsOn: '2026-01-01', endsOn: '2026-02-01' }, '2026-01-31', true],
    [{ startsOn: '2026-01-01', endsOn: '2026-02-01' }, '2026-02-01', false],
    [{ startsOn: '2026-01-01', endsOn: null }, '2099-01-01', true],
  ])('%j contains %s: %s', (period, day, expected) => {
    expect(periodContains(period, day)).toBe(expected);
  });

  it.each([
    [undefined, '2020-01-01', null],
    [{ startsOn: '2026-01-01', endsOn: null }, '2026-01-02', null],
    [{ startsOn: '2026-01-01', endsOn: null }, '2026-01-01', 'must be after 2026-01-01, when the current ownership started'],
    [{ startsOn: '2026-01-01', endsOn: null }, '2025-06-01', 'must be after 2026-01-01, when the current ownership started'],
  ])('succession from %j at %s -> %s', (open, startsOn, expected) => {
    expect(successionProblem(open, startsOn)).toBe(expected);
  });
});
