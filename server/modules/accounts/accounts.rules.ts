import type { OwnershipKind } from '../../../common/api/accounts.ts';

/**
 * Legal-form words that say nothing about which company it is. Only trailing ones are dropped:
 * "Co" or "AG" inside a name can be part of it.
 */
const legalSuffixes = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'mbh',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ab',
  'oy',
  'as',
  'asa',
  'pty',
  'kk',
  'sl',
  'se',
  'ltda',
  'pvt',
  'pte',
  'spzoo',
]);

/** Letters that Unicode decomposition leaves alone but people type without their stroke or ligature. */
const letterFolds: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', þ: 'th', ð: 'd', ı: 'i' };

/**
 * The form of a company name that duplicate detection and fuzzy search compare: lower case, no
 * accents, no punctuation, no trailing legal form, no leading "The", single spaces. "ACME, Inc."
 * and "Acme Inc" both become "acme".
 */
export function normaliseAccountName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđþðı]/g, (m) => letterFolds[m] ?? m)
    // Dots and apostrophes join what they separate: "S.A." is "sa", "O'Neil" is "oneil".
    .replace(/[.'\u2019]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    // The Polish "sp. z o.o." is one legal form written as three words.
    .replace(/\bsp z oo$/, 'spzoo')
    .replace(/\bpublic limited company$/, 'plc')
    .split(' ')
    .filter((w) => w !== '');
  // "GmbH & Co. KG" is one legal form too: an "and" left trailing by the forms after it goes with them.
  while (words.length > 1 && (legalSuffixes.has(words[words.length - 1] ?? '') || (words.length > 2 && words[words.length - 1] === 'and'))) words.pop();
  if (words.length > 1 && words[0] === 'the') words.shift();
  return words.join(' ');
}

const hostnamePattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * The bare domain of a web address: "HTTPS://www.Example.com/about" is "example.com". Returns null
 * when what is left is not a host name with at least one dot.
 */
export function normaliseDomain(input: string): string | null {
  let d = input.trim().toLowerCase();
  d = d.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  d = d.replace(/^[^@/]*@/, '');
  d = d.split(/[/?#]/, 1)[0] ?? '';
  d = d.replace(/:\d+$/, '').replace(/\.$/, '');
  if (d.startsWith('www.')) d = d.slice(4);
  return hostnamePattern.test(d) ? d : null;
}

export type OwnershipInput = { kind: OwnershipKind; partnerId: string | null };

/** Channel and shared ownership name a partner; direct ownership must not. */
export function ownershipProblem(input: OwnershipInput): string | null {
  if (input.kind === 'direct' && input.partnerId !== null) return 'direct ownership has no partner';
  if (input.kind !== 'direct' && input.partnerId === null) return `${input.kind} ownership needs a partner`;
  return null;
}

export type Period = { startsOn: string; endsOn: string | null };

/** Half-open periods: [a, b) contains day d when a <= d < b. YYYY-MM-DD strings compare as dates. */
export function periodContains(p: Period, day: string): boolean {
  return p.startsOn <= day && (p.endsOn === null || day < p.endsOn);
}

/**
 * A new period may only start after the open one started: the open one then ends on the new
 * start day, and no earlier history is rewritten.
 */
export function successionProblem(open: Period | undefined, startsOn: string): string | null {
  if (open && startsOn <= open.startsOn) return `must be after ${open.startsOn}, when the current ownership started`;
  return null;
}
