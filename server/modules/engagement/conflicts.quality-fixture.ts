/**
 * A labelled fixture for end-customer name matching, generated from a seed (same seed, same
 * pairs): company names the way partners type them, paired with a spelling of the SAME company
 * (a true match) or with ANOTHER company (a true non-match), many of the latter hard: sharing a
 * common word, the industry, or the family name behind the company.
 *
 * What counts as the same company here is what a channel manager would call the same customer:
 * case, punctuation, legal form, "&" / "and", abbreviations, a missing or extra "The" / "Group",
 * one-letter typos, accents, word order. Two genuinely different companies one letter apart
 * ("Norland Energy" / "Nordland Energy") are left out: no name matcher can tell them from a typo,
 * and detection treats them as the same customer on purpose (a false alarm costs a reviewer a
 * minute; a missed conflict costs a partner a deal).
 */

export type NamePair = { a: string; b: string; match: boolean; kind: string };

/** A small deterministic PRNG (xorshift32 with a splitmix-style seed scramble). */
function prng(seed: number): () => number {
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4_294_967_296;
  };
}

const surnames = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Becker',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Jürgens',
  'Krüger',
  'Böhm',
  'Harlow',
  'Okafor',
  'García',
  'Nakamura',
  'Dubois',
  'Lefèvre',
  'Kowalski',
  'Lindqvist',
  'Sørensen',
  'Østergaard',
  'Gonçalves',
  'Núñez',
  'Kovačić',
  'Dvořák',
  'Bergström',
  'Andersson',
  'Johansson',
  'Rossi',
  'Bianchi',
  'Ferrari',
  'Moreau',
  'Laurent',
  'Girard',
  'Fontaine',
  'Whitfield',
  'Ashworth',
  'Pemberton',
  'Thornbury',
  'Blackwood',
  'Hargreaves',
  'Castellano',
  'Van der Berg',
  'De Vries',
  'Jansen',
  'Visser',
  'Bakker',
  'Smit',
  'Meijer',
  'Kaczmarek',
  'Wiśniewski',
  'Novak',
  'Horvath',
  'Papadopoulos',
  'Yilmaz',
  'Tanaka',
  'Suzuki',
  'Watanabe',
  'Kimura',
  'Chandra',
  'Iyer',
  'Mehta',
  'Kapoor',
  'Reddy',
  'Okonkwo',
  'Mensah',
  'Adeyemi',
  'Haddad',
  'Nasser',
  'Oliveira',
  'Pereira',
  'Carvalho',
  'Almeida',
  'Sánchez',
  'Romero',
  'Navarro',
  'Delgado',
  'Fitzgerald',
  "O'Brien",
  'McAllister',
  'MacLeod',
  'Lindgren',
  'Halvorsen',
  'Virtanen',
  'Mäkinen',
  'Korhonen',
  'Łukasiewicz',
  'Zieliński',
  'Brennan',
  'Callaghan',
] as const;
const places = [
  'Northwind',
  'Riverside',
  'Blue Ridge',
  'Pacific',
  'Atlantic',
  'Alpine',
  'Nordic',
  'Baltic',
  'Highland',
  'Summit',
  'Harbor',
  'Lakeside',
  'Redwood',
  'Silver Lake',
  'Cedar Point',
  'Eastgate',
  'Westbrook',
  'Ironbridge',
  'Stonehaven',
  'Brightwater',
  'Clearfield',
  'Oakmont',
  'Pinecrest',
  'Maplewood',
  'Granite Peak',
  'Falcon Ridge',
  'Kestrel',
  'Osprey',
  'Meridian',
  'Horizon',
  'Zenith',
  'Vanguard',
  'Keystone',
  'Cornerstone',
  'Evergreen',
  'Bayview',
  'Coastal',
  'Midland',
  'Southern Cross',
  'Aurora',
  'Polaris',
  'Orion',
  'Sequoia',
  'Aspen',
  'Willow Creek',
  'Thames Valley',
  'Rhein',
  'Danube',
] as const;
const syllables = [
  'zen',
  'tra',
  'vo',
  'lin',
  'qua',
  'mor',
  'dex',
  'ari',
  'sol',
  'vel',
  'nor',
  'ka',
  'tek',
  'bri',
  'lum',
  'ost',
  'cor',
  'ven',
  'ix',
  'pra',
  'gal',
  'ro',
  'sta',
  'mi',
  'fle',
  'xo',
  'dar',
  'nu',
  'tal',
  'ber',
  'sy',
  'plex',
  'ion',
  'cal',
  'mag',
  'ner',
  'vant',
  'ora',
  'quin',
  'tor',
] as const;
const commonWords = [
  'Global',
  'National',
  'United',
  'General',
  'American',
  'European',
  'First',
  'Premier',
  'Advanced',
  'Smart',
  'Digital',
  'Green',
  'Modern',
  'Allied',
  'Universal',
  'Standard',
  'Central',
  'Metro',
  'Prime',
  'Apex',
] as const;
const industries = [
  'Logistics',
  'Freight',
  'Finance',
  'Capital',
  'Energy',
  'Solar',
  'Software',
  'Data',
  'Cloud',
  'Consulting',
  'Engineering',
  'Construction',
  'Bau',
  'Pharma',
  'Health',
  'Medical',
  'Foods',
  'Retail',
  'Motors',
  'Textiles',
  'Insurance',
  'Media',
  'Networks',
  'Security',
  'Analytics',
  'Robotics',
  'Chemicals',
  'Steel',
  'Packaging',
  'Marine',
  'Aviation',
  'Telecom',
  'Biotech',
  'Dental',
  'Furniture',
  'Printing',
  'Plastics',
  'Electric',
  'Water',
  'Mining',
  'Agri',
  'Dairy',
  'Brewing',
  'Hotels',
  'Travel',
  'Shipping',
  'Transport',
  'Fashion',
  'Apparel',
  'Properties',
  'Realty',
  'Automotive',
  // Other languages, but no translation of a word above: "Logistik" and "Logistics" may well be one company.
  'Maschinenbau',
  'Immobilien',
  'Informatique',
  'Distribución',
  'Lebensmittel',
  'Énergie Verte',
  'Bâtiment',
  'Gıda',
] as const;
/** Words that say what kind of company, with the abbreviations partners type for them. */
const genericWords: Record<string, readonly string[]> = {
  Group: ['Grp'],
  Holdings: ['Hldgs'],
  International: ['Intl', "Int'l"],
  Solutions: ['Soln', 'Solns'],
  Services: ['Svcs', 'Svc'],
  Technologies: ['Tech', 'Techs'],
  Technology: ['Tech'],
  Industries: ['Ind', 'Inds'],
  Enterprises: ['Ent'],
  Associates: ['Assoc', 'Assocs'],
  Systems: ['Sys', 'Syst'],
  Manufacturing: ['Mfg'],
  Management: ['Mgmt'],
  Laboratories: ['Labs', 'Lab'],
  Brothers: ['Bros'],
  Partners: ['Ptnrs'],
  Communications: ['Comms', 'Comm'],
  Products: ['Prods'],
  Distribution: ['Dist', 'Distrib'],
  Development: ['Dev', 'Devel'],
};
const genericKeys = Object.keys(genericWords);
/** Legal forms, each with the ways it is written; the first is the usual one. */
const legalForms: readonly (readonly string[])[] = [
  ['Inc.', 'Inc', 'Incorporated', ', Inc.'],
  ['Corp.', 'Corp', 'Corporation', 'Corporation Inc.'],
  ['Ltd', 'Ltd.', 'Limited'],
  ['LLC', 'L.L.C.', ', LLC'],
  ['GmbH', 'G.m.b.H.', 'GmbH & Co. KG'],
  ['AG'],
  ['S.A.', 'SA'],
  ['SAS', 'S.A.S.'],
  ['B.V.', 'BV'],
  ['N.V.', 'NV'],
  ['PLC', 'plc', 'Public Limited Company'],
  ['Pty Ltd', '(Pty) Ltd', 'Pty. Limited'],
  ['Co.', 'Company', 'Co'],
  ['AB'],
  ['Oy'],
  ['S.p.A.', 'SpA'],
  ['S.L.', 'SL'],
];

type Company = { the: boolean; brand: string; words: string[]; legal: number; legalVariant: number };

function pickFrom<T>(rnd: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(rnd() * xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}

function coined(rnd: () => number): string {
  const n = rnd() < 0.6 ? 2 : 3;
  let w = '';
  for (let i = 0; i < n; i++) w += pickFrom(rnd, syllables);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function brandOf(rnd: () => number): string {
  const r = rnd();
  if (r < 0.35) return pickFrom(rnd, surnames);
  if (r < 0.6) return coined(rnd);
  if (r < 0.85) return pickFrom(rnd, places);
  if (r < 0.93) return `${pickFrom(rnd, surnames)} & ${pickFrom(rnd, surnames)}`;
  return `${pickFrom(rnd, surnames)} & Sons`;
}

function companyOf(rnd: () => number, opts: { brand?: string; industry?: string; generic?: string | null } = {}): Company {
  const words: string[] = [];
  const industryCount = opts.industry ? 1 : rnd() < 0.75 ? 1 : rnd() < 0.5 ? 2 : 0;
  if (opts.industry) words.push(opts.industry);
  for (let i = 0; i < industryCount && !opts.industry; i++) {
    const w = pickFrom(rnd, industries);
    if (!words.includes(w)) words.push(w);
  }
  const generic = opts.generic === undefined ? (rnd() < 0.45 ? pickFrom(rnd, genericKeys) : null) : opts.generic;
  if (generic) words.push(generic);
  return {
    the: rnd() < 0.05,
    brand: opts.brand ?? brandOf(rnd),
    words,
    legal: Math.floor(rnd() * legalForms.length),
    legalVariant: 0,
  };
}

function render(c: Company, opts: { legalless?: boolean } = {}): string {
  const legal = legalForms[c.legal]?.[c.legalVariant] ?? '';
  const body = [c.the ? 'The' : '', c.brand, ...c.words].filter((w) => w !== '').join(' ');
  if (opts.legalless || legal === '') return body;
  return legal.startsWith(',') ? `${body}${legal}` : `${body} ${legal}`;
}

const accentFolds: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss', ø: 'oe', Ø: 'Oe', å: 'aa', Å: 'Aa' };

function stripAccents(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/**
 * A one-letter typo (substitution, deletion, insertion or swap of neighbours) at a letter chosen
 * uniformly over the name, as a slip of one keystroke would be; never the first letter of a word,
 * which people rarely get wrong, and only in words of four letters or more.
 */
function typo(rnd: () => number, s: string): string {
  const positions: number[] = [];
  for (const m of s.matchAll(/\p{L}{4,}/gu)) for (let k = 1; k < m[0].length; k++) positions.push((m.index ?? 0) + k);
  if (positions.length === 0) return s;
  const i = pickFrom(rnd, positions);
  const letter = String.fromCharCode(97 + Math.floor(rnd() * 26));
  const op = Math.floor(rnd() * 4);
  if (op === 0) return s.slice(0, i) + letter + s.slice(i + 1);
  if (op === 1) return s.slice(0, i) + s.slice(i + 1);
  if (op === 2) return s.slice(0, i) + letter + s.slice(i);
  // Swap with the next letter when there is one in the word, else with the previous (not the first).
  const next = s[i + 1];
  if (next !== undefined && /\p{L}/u.test(next)) return s.slice(0, i) + next + (s[i] ?? '') + s.slice(i + 2);
  return i >= 2 && /\p{L}/u.test(s[i - 2] ?? '')
    ? s.slice(0, i - 1) + (s[i] ?? '') + (s[i - 1] ?? '') + s.slice(i + 1)
    : s.slice(0, i) + letter + s.slice(i + 1);
}

const variantKinds = [
  'case',
  'punctuation',
  'legal_form',
  'ampersand',
  'abbreviation',
  'the',
  'generic_word',
  'typo',
  'accents',
  'word_order',
  'spacing',
] as const;
type VariantKind = (typeof variantKinds)[number];

/** Another spelling of the same company, by one to three of the variant kinds; returns the kinds applied. */
function variantOf(rnd: () => number, c: Company): { name: string; kinds: VariantKind[] } {
  const v: Company = { ...c, words: [...c.words] };
  const count = rnd() < 0.5 ? 1 : rnd() < 0.7 ? 2 : 3;
  const kinds = new Set<VariantKind>();
  while (kinds.size < count) kinds.add(pickFrom(rnd, variantKinds));
  const applied: VariantKind[] = [];
  // Structural changes first, then the spelling of the text.
  if (kinds.has('legal_form')) {
    const forms = legalForms[v.legal] ?? [];
    const r = rnd();
    if (r < 0.3) v.legal = -1;
    else if (forms.length > 1) v.legalVariant = 1 + Math.floor(rnd() * (forms.length - 1));
    else v.legal = -1;
    applied.push('legal_form');
  }
  if (kinds.has('the')) {
    v.the = !v.the;
    applied.push('the');
  }
  if (kinds.has('generic_word')) {
    const g = v.words.findIndex((w) => genericKeys.includes(w));
    if (g >= 0 && v.words.length > 1) v.words.splice(g, 1);
    else v.words.push(pickFrom(rnd, ['Group', 'Holdings', 'International']));
    applied.push('generic_word');
  }
  if (kinds.has('abbreviation')) {
    const g = v.words.findIndex((w) => genericKeys.includes(w));
    if (g >= 0) {
      v.words[g] = pickFrom(rnd, genericWords[v.words[g] ?? ''] ?? []);
      applied.push('abbreviation');
    } else if (v.legal >= 0 && (legalForms[v.legal]?.length ?? 0) > 1) {
      v.legalVariant = (v.legalVariant + 1) % (legalForms[v.legal]?.length ?? 1);
      applied.push('abbreviation');
    }
  }
  if (kinds.has('ampersand') && v.brand.includes('&')) {
    v.brand = v.brand.replace('&', 'and');
    applied.push('ampersand');
  } else if (kinds.has('ampersand') && v.brand.includes(' and ')) {
    v.brand = v.brand.replace(' and ', ' & ');
    applied.push('ampersand');
  }
  if (kinds.has('word_order') && v.words.length > 0) {
    // "Müller Bau GmbH" -> "Bau Müller": the brand moves behind the industry, the legal form goes.
    const [first, ...rest] = v.words;
    v.words = [...rest, v.brand];
    v.brand = first ?? '';
    v.legal = rnd() < 0.5 ? -1 : v.legal;
    applied.push('word_order');
  }
  let name = v.legal < 0 ? render(v, { legalless: true }) : render(v);
  if (kinds.has('accents') && /[^\u0020-\u007e]/.test(name)) {
    name = rnd() < 0.5 ? stripAccents(name) : name.replace(/[äöüÄÖÜßøØåÅ]/g, (m) => accentFolds[m] ?? m);
    applied.push('accents');
  }
  if (kinds.has('typo')) {
    const t = typo(rnd, name);
    if (t !== name) applied.push('typo');
    name = t;
  }
  if (kinds.has('punctuation')) {
    const r = rnd();
    name = r < 0.4 ? name.replace(/[.,]/g, '') : r < 0.7 ? name.replace(/ (?=[A-Z][a-z]*\.?$)/, ', ') : name.replace(/ /, '-');
    applied.push('punctuation');
  }
  if (kinds.has('spacing')) {
    name = rnd() < 0.5 ? `  ${name.replace(/ /g, '  ')} ` : name.replace(/ & /, '&');
    applied.push('spacing');
  }
  if (kinds.has('case')) {
    const r = rnd();
    name = r < 0.4 ? name.toUpperCase() : r < 0.7 ? name.toLowerCase() : name.replace(/\b\p{L}/gu, (m) => m.toUpperCase());
    applied.push('case');
  }
  return { name, kinds: applied };
}

/** Two different companies, chosen to be hard to tell apart in proportion `hard`. */
function nonMatchOf(rnd: () => number): NamePair {
  const r = rnd();
  if (r < 0.3) {
    // Nothing in common on purpose (their words may still collide by chance).
    return { a: render(companyOf(rnd)), b: render(companyOf(rnd)), match: false, kind: 'different' };
  }
  if (r < 0.6) {
    // "Global Logistics Ltd" / "Global Finance Ltd": a common word as the brand, another industry.
    const brand = pickFrom(rnd, commonWords);
    const x = companyOf(rnd, { brand, industry: pickFrom(rnd, industries) });
    let other = pickFrom(rnd, industries);
    while (x.words.includes(other)) other = pickFrom(rnd, industries);
    const y: Company = { ...x, words: x.words.map((w, i) => (i === 0 ? other : w)) };
    return { a: render(x), b: render(y), match: false, kind: 'shared_common_word' };
  }
  if (r < 0.9) {
    // "Harlow Freight Group" / "Kestrel Freight Group": same industry and kind, another brand.
    const x = companyOf(rnd, { industry: pickFrom(rnd, industries) });
    // Another brand: sharing no word with the first ("Girard" and "Girard & Sons" may be one company).
    const wordsOf = (b: string) => b.toLowerCase().split(/[^\p{L}]+/u);
    let brand = brandOf(rnd);
    while (wordsOf(brand).some((w) => w.length > 2 && w !== 'sons' && wordsOf(x.brand).includes(w))) brand = brandOf(rnd);
    const y: Company = { ...x, brand };
    return { a: render(x), b: render(y), match: false, kind: 'same_industry' };
  }
  // "Müller Bau" / "Müller Logistik": one family name, two companies.
  const brand = pickFrom(rnd, surnames);
  const x = companyOf(rnd, { brand, industry: pickFrom(rnd, industries), generic: null });
  let other = pickFrom(rnd, industries);
  while (x.words.includes(other)) other = pickFrom(rnd, industries);
  const y = companyOf(rnd, { brand, industry: other, generic: null });
  return { a: render(x), b: render(y), match: false, kind: 'shared_family_name' };
}

/** `count` pairs, half true matches and half true non-matches, interleaved. */
export function nameMatchingFixture(count = 10_000, seed = 20_260_615): NamePair[] {
  const rnd = prng(seed);
  const pairs: NamePair[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const c = companyOf(rnd);
      const { name, kinds } = variantOf(rnd, c);
      pairs.push({ a: render(c), b: name, match: true, kind: kinds.length ? kinds.join('+') : 'identical' });
    } else {
      pairs.push(nonMatchOf(rnd));
    }
  }
  return pairs;
}

export type MatchQuality = {
  pairs: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  f1: number;
};

export function matchQuality(pairs: readonly NamePair[], predicted: readonly boolean[]): MatchQuality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  pairs.forEach((p, i) => {
    const said = predicted[i] === true;
    if (p.match && said) tp++;
    else if (p.match) fn++;
    else if (said) fp++;
    else tn++;
  });
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { pairs: pairs.length, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, f1 };
}
