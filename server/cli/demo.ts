import type { Insertable } from 'kysely';
import type { AccountSegment, OwnershipKind } from '../../common/api/accounts.ts';
import type { Role } from '../../common/roles.ts';
import { systemActor } from '../actor.ts';
import type { DB } from '../db/schema.ts';
import { inTransaction, type Deps, type Trx } from '../deps.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { createAccount, setAccountOwnership } from '../modules/accounts/accounts.service.ts';
import { normaliseAccountName } from '../modules/accounts/accounts.rules.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import { createUser, hashPassword } from '../modules/identity/identity.service.ts';
import { notify } from '../modules/notifications/notifications.service.ts';
import { addPartnerContact, createPartner } from '../modules/partners/partners.service.ts';
import { ruleSetContent, type RuleSetContent } from '../../common/api/rules.ts';
import { addDays, dateOf } from '../../common/dates.ts';
import { defaultRuleSet } from '../modules/engagement/rules-text.rules.ts';
import { loadEngagement } from './demo-engagement.ts';
import { loadComp } from './demo-comp.ts';
import { loadScorecards } from './demo-scorecards.ts';

/**
 * Demo data: the vendor Helion Technologies in the middle of a channel realignment. Its Technology
 * Services unit, long focused on maintenance renewals, is moving under the Enterprise Servers,
 * Storage & Networking division. Everything is generated from a fixed seed, so two loads of the
 * same scale give the same people, partners and customers.
 *
 * The scale-1 core goes through the services one record at a time (each with its audit entry);
 * what --scale adds on top is inserted in batches, one 'demo.load' audit entry per batch.
 */

export const DEMO_PASSWORD = 'realign-demo-2026';
export const DEMO_SEED = 20_261_126;
export const DEMO_MARKER = 'demo.loaded';
export const VENDOR = {
  name: 'Helion Technologies',
  domain: 'helion.example',
  movingUnit: 'Technology Services',
  receivingDivision: 'Enterprise Servers, Storage & Networking',
} as const;

export type DemoLogin = { email: string; password: string; roles: string[]; partner?: string };
export type DemoResult = { logins: DemoLogin[]; counts: Record<string, number>; alreadyLoaded: boolean };
export type DemoOptions = { scale: number; quiet: boolean; onProgress?: (done: number, total: number, label: string) => void };

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: tiny, fast, and good enough to make demo data look unplanned. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Rng = { int(min: number, max: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean };

function rngOf(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    int,
    pick: <T>(xs: readonly T[]): T => {
      const x = xs[int(0, xs.length - 1)];
      if (x === undefined) throw new Error('pick from an empty list');
      return x;
    },
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------------
// Word lists

function words(list: string, separator = ' '): readonly string[] {
  return list.split(separator);
}

const firstNames = words(
  'Avery Morgan Jordan Riley Casey Taylor Jamie Alex Sam Robin Dana Kai Noa Elif Mateo Priya Hannah Lars Sofia Yuki Tomás Aisha Chen Olga Pierre Grace Omar Ingrid Ravi Lucia Marek Nadia Felix Amara Jonas Mei Diego Freya Kwame Saoirse',
);
const lastNames = words(
  'Quinn Hale Brennan Okafor Lindqvist Moreau Tanaka Schmidt García Rossi Novak Patel Nguyen Kowalski Andersen Dubois Fischer Silva Murphy Khan Costa Weber Sato Ivanova Mensah Byrne Larsen Romero Cohen Haddad Whitfield Achebe Varga Holm Castillo Reyes Ferreira Bauer',
);

const partnerStems = words(
  'Northwind Bluepeak Ironbridge Silverline Clearpath Redwood Keystone Brightlane Meridian Cobalt Harborview Granite Evergreen Lakeside Pinnacle Vertex Atlas Beacon Crestview Falconer Orbital Nimbus Sterling Trident Halcyon Westgate Ashford Larchmont Copperfield Driftwood Foxglove Juniper',
);
const partnerKinds = words(
  'Systems|IT Solutions|Technology Group|Data Services|Networks|Integration|Cloud Partners|Infrastructure|Consulting|Computing|Digital|Managed Services',
  '|',
);
const regions = ['Nordics', 'Iberia', 'Benelux', 'DACH', 'Pacific', 'Americas', 'Central', 'Atlantic', 'Alpine', 'Gulf', 'Baltic', 'Andes'] as const;

type Country = { code: string; dial: string; suffixes: readonly string[] };
const countries: readonly Country[] = [
  { code: 'US', dial: '+1', suffixes: ['Inc', 'Corp', 'LLC'] },
  { code: 'GB', dial: '+44', suffixes: ['Ltd', 'plc'] },
  { code: 'DE', dial: '+49', suffixes: ['GmbH', 'AG'] },
  { code: 'FR', dial: '+33', suffixes: ['SA', 'SAS'] },
  { code: 'NL', dial: '+31', suffixes: ['BV', 'NV'] },
  { code: 'SE', dial: '+46', suffixes: ['AB'] },
  { code: 'ES', dial: '+34', suffixes: ['SL', 'SA'] },
  { code: 'IT', dial: '+39', suffixes: ['SpA', 'Srl'] },
  { code: 'AU', dial: '+61', suffixes: ['Pty Ltd'] },
  { code: 'CA', dial: '+1', suffixes: ['Inc', 'Ltd'] },
  { code: 'JP', dial: '+81', suffixes: ['KK'] },
  { code: 'SG', dial: '+65', suffixes: ['Pte Ltd'] },
  { code: 'IN', dial: '+91', suffixes: ['Pvt Ltd'] },
  { code: 'BR', dial: '+55', suffixes: ['Ltda'] },
  { code: 'PL', dial: '+48', suffixes: ['sp. z o.o.'] },
  { code: 'ZA', dial: '+27', suffixes: ['(Pty) Ltd'] },
];

const customerStems = words(
  'Harlow Brightwater Stonebridge Copperline Quietmoor Ravensworth Alder Blackthorn Castlegate Dunmore Eastbrook Fairhaven Glenrock Highfield Ivybank Kingsmere Longford Marlow Newhaven Oakridge Pemberton Queensbury Riverside Saltmarsh Thornbury Underwood Valemont Whitcombe Yarrow Zephyr Amberley Bexley Carrow Deepwell Elmstead Foxley Greywater Hollins Inchmore Kestrel Lindenhof Millbrook Northgate Orchard Porthaven Redcliffe Silverdale Tidewell Upland Westmarch Wrenfield',
);

type Industry = { name: string; nouns: readonly string[]; publicSector?: boolean };
const industries: readonly Industry[] = [
  { name: 'Logistics', nouns: ['Freight', 'Logistics', 'Shipping', 'Transport'] },
  { name: 'Manufacturing', nouns: ['Manufacturing', 'Industries', 'Engineering', 'Components'] },
  { name: 'Financial services', nouns: ['Capital', 'Bank', 'Insurance', 'Financial'] },
  { name: 'Healthcare', nouns: ['Health', 'Medical', 'Clinics', 'Pharma'] },
  { name: 'Retail', nouns: ['Retail', 'Stores', 'Outfitters', 'Markets'] },
  { name: 'Energy and utilities', nouns: ['Energy', 'Power', 'Utilities', 'Water'] },
  { name: 'Telecommunications', nouns: ['Telecom', 'Networks', 'Communications'] },
  { name: 'Media', nouns: ['Media', 'Studios', 'Publishing'] },
  { name: 'Public administration', nouns: ['City Council', 'County Council', 'Regional Authority', 'Revenue Office'], publicSector: true },
  { name: 'Education', nouns: ['University', 'College', 'School District'], publicSector: true },
];

/** Partner tiers as the large vendor programmes name them (Registered, Silver, Gold, Platinum). */
export const demoTiers = ['platinum', 'gold', 'silver', 'registered'] as const;
type Tier = (typeof demoTiers)[number];
// 24 partners per scale step: 2 platinum, 5 gold, 8 silver, 9 registered, mixed so every slice has a spread.
const tierByLetter = { P: 'platinum', G: 'gold', S: 'silver', R: 'registered' } as const;
const tierMix: readonly Tier[] = [...'PGSRRSGRSRGSPRSGRSRGSRSR'].map((c) => tierByLetter[c as keyof typeof tierByLetter]);
const sellersByTier: Record<Tier, number> = { platinum: 3, gold: 2, silver: 1, registered: 1 };

// ---------------------------------------------------------------------------------------------
// The plan: pure data, no I/O

export type PlannedUser = { email: string; displayName: string; roles: Role[]; managerEmail: string | null };
export type PlannedContact = { name: string; email: string; phone: string; title: string; isExecutive: boolean };
export type PlannedPartner = {
  slug: string;
  name: string;
  legalName: string;
  tier: Tier;
  country: string;
  website: string;
  contacts: PlannedContact[];
  users: PlannedUser[];
};
export type PlannedOwnership = { kind: OwnershipKind; partnerIndex: number | null; ownerEmail: string | null; startsOn: string };
export type PlannedAccount = {
  name: string;
  domain: string;
  country: string;
  industry: string;
  segment: AccountSegment;
  taxId: string | null;
  parentIndex: number | null;
  ownership: PlannedOwnership[];
};
export type DemoPlan = { scale: number; internalUsers: PlannedUser[]; partners: PlannedPartner[]; accounts: PlannedAccount[] };

export const BASE = { partners: tierMix.length, accounts: 200, teams: 4, sellersPerTeam: 5, channelManagers: 4 } as const;

function personName(rng: Rng): string {
  return `${rng.pick(firstNames)} ${rng.pick(lastNames)}`;
}

function slugOf(text: string): string {
  return normaliseAccountName(text).replace(/ /g, '-');
}

function mailLocal(name: string): string {
  return slugOf(name).replace(/-/g, '.');
}

function internalUsers(scale: number, rng: Rng): PlannedUser[] {
  const d = VENDOR.domain;
  const u = (local: string, roles: Role[], managerEmail: string | null = null): PlannedUser => ({
    email: `${local}@${d}`,
    displayName: personName(rng),
    roles,
    managerEmail,
  });
  const users: PlannedUser[] = [
    u('admin', ['admin']),
    u('chief', ['programme_lead']),
    u('exec1', ['executive']),
    u('exec2', ['executive']),
    u('comp1', ['comp_admin']),
    u('finance1', ['finance']),
    u('auditor1', ['auditor']),
  ];
  for (let i = 1; i <= BASE.channelManagers * scale; i++) users.push(u(`cm${i}`, ['channel_manager'], `chief@${d}`));
  for (let i = 1; i <= 2 * scale; i++) users.push(u(`ops${i}`, ['operations'], `exec2@${d}`));
  for (let i = 1; i <= 2 * scale; i++) users.push(u(`delivery${i}`, ['delivery'], `exec2@${d}`));
  // Seller teams: the managers answer to the Technology Services executive, the sellers to their manager.
  let seller = 0;
  for (let team = 1; team <= BASE.teams * scale; team++) {
    users.push(u(`mgr${team}`, ['internal_seller'], `exec2@${d}`));
    for (let s = 0; s < BASE.sellersPerTeam; s++) users.push(u(`seller${++seller}`, ['internal_seller'], `mgr${team}@${d}`));
  }
  return users;
}

function uniqueName(taken: Set<string>, make: (attempt: number) => string): string {
  for (let attempt = 0; ; attempt++) {
    const name = make(attempt);
    const key = normaliseAccountName(name);
    if (!taken.has(key)) {
      taken.add(key);
      return name;
    }
  }
}

function partners(scale: number, rng: Rng): PlannedPartner[] {
  const out: PlannedPartner[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < BASE.partners * scale; i++) {
    const tier = tierMix[i % tierMix.length] ?? 'registered';
    const country = rng.pick(countries);
    const name = uniqueName(taken, (attempt) => {
      const base = `${rng.pick(partnerStems)} ${rng.pick(partnerKinds)}`;
      if (attempt < 5) return base;
      return attempt < 20 ? `${base} ${rng.pick(regions)}` : `${base} ${rng.pick(regions)} ${attempt}`;
    });
    const slug = slugOf(name);
    const domain = `${slug}.example`;
    const contact = (title: string, isExecutive: boolean): PlannedContact => {
      const n = personName(rng);
      return { name: n, email: `${mailLocal(n)}@${domain}`, phone: `${country.dial} 555 ${String(rng.int(0, 9999)).padStart(4, '0')}`, title, isExecutive };
    };
    const contacts: PlannedContact[] = [contact(tier === 'registered' ? 'Managing Director' : 'Chief Executive Officer', true)];
    if (tier === 'platinum' || tier === 'gold') contacts.push(contact('VP Alliances', true));
    if (tier !== 'registered') contacts.push(contact('Alliance Manager', false));
    const users: PlannedUser[] = [{ email: `admin@${domain}`, displayName: personName(rng), roles: ['partner_admin'], managerEmail: null }];
    for (let s = 1; s <= sellersByTier[tier]; s++)
      users.push({ email: `seller${s}@${domain}`, displayName: personName(rng), roles: ['partner_seller'], managerEmail: null });
    out.push({
      slug,
      name,
      legalName: `${name} ${rng.pick(country.suffixes)}`,
      tier,
      country: country.code,
      website: `https://www.${domain}`,
      contacts,
      users,
    });
  }
  return out;
}

const firstOfMonth = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}-01`;

function accounts(scale: number, rng: Rng, partnerList: PlannedPartner[], sellers: string[]): PlannedAccount[] {
  const out: PlannedAccount[] = [];
  const taken = new Set<string>();
  const domains = new Set<string>();
  for (let i = 0; i < BASE.accounts * scale; i++) {
    const industry = rng.pick(industries);
    const country = rng.pick(countries);
    // Some customers are subsidiaries of an earlier one: same stem, a region, the parent as parent.
    const parentIndex = i > 20 && rng.chance(0.06) ? rng.int(0, i - 1) : null;
    const parent = parentIndex === null ? undefined : out[parentIndex];
    const name = uniqueName(taken, (attempt) => {
      if (parent) return `${normaliseStem(parent.name)} ${rng.pick(regions)}${attempt > 10 ? ` ${attempt}` : ''}`;
      const stem = rng.pick(customerStems);
      const noun = rng.pick(industry.nouns);
      const base = industry.publicSector ? `${stem} ${noun}` : `${stem} ${noun} ${rng.pick(country.suffixes)}`;
      return attempt < 8 ? base : `${stem} ${rng.pick(customerStems)} ${noun}${attempt > 30 ? ` ${attempt}` : ''}`;
    });
    const slug = slugOf(name);
    let domain = `${slug}.example`;
    for (let n = 2; domains.has(domain); n++) domain = `${slug}-${n}.example`;
    domains.add(domain);
    const segment: AccountSegment = industry.publicSector ? 'public_sector' : rng.chance(0.25) ? 'enterprise' : rng.chance(0.6) ? 'mid_market' : 'smb';
    const taxId = rng.chance(0.7) ? `${country.code}${String(rng.int(10_000_000, 99_999_999))}` : null;
    out.push({
      name,
      domain,
      country: country.code,
      industry: industry.name,
      segment,
      taxId,
      parentIndex,
      ownership: ownershipStory(rng, partnerList, sellers),
    });
  }
  return out;
}

function normaliseStem(name: string): string {
  // The parent's name without its legal form, in its original spelling.
  const words = name.split(' ');
  while (words.length > 1 && normaliseAccountName(words.join(' ')) === normaliseAccountName(words.slice(0, -1).join(' '))) words.pop();
  return words.join(' ');
}

/**
 * Who has owned the customer: many start direct with Technology Services and move to a partner
 * once the realignment begins in 2025; some were always a partner's; a few are shared.
 */
function ownershipStory(rng: Rng, partnerList: PlannedPartner[], sellers: string[]): PlannedOwnership[] {
  const start = firstOfMonth(rng.int(2022, 2024), rng.int(1, 12));
  const moved = firstOfMonth(rng.int(2025, 2026), rng.int(1, 12));
  const partnerIndex = rng.int(0, partnerList.length - 1);
  const partner = partnerList[partnerIndex];
  const partnerSeller = partner ? rng.pick(partner.users.filter((u) => u.roles.includes('partner_seller'))).email : null;
  const seller = rng.pick(sellers);
  const roll = rng.int(1, 100);
  const direct = (startsOn: string): PlannedOwnership => ({ kind: 'direct', partnerIndex: null, ownerEmail: seller, startsOn });
  const channel = (startsOn: string): PlannedOwnership => ({ kind: 'channel', partnerIndex, ownerEmail: partnerSeller, startsOn });
  const shared = (startsOn: string): PlannedOwnership => ({ kind: 'shared', partnerIndex, ownerEmail: seller, startsOn });
  if (roll <= 35) return [direct(start)];
  if (roll <= 55) return [channel(start)];
  if (roll <= 75) return [direct(start), channel(moved)];
  if (roll <= 85) return [direct(start), shared(moved)];
  if (roll <= 92) return [channel(start), shared(moved)];
  return [];
}

/** The whole demo data set for a scale: the same seed and scale always give the same plan. */
export function demoPlan(scale: number, seed = DEMO_SEED): DemoPlan {
  if (!Number.isInteger(scale) || scale < 1 || scale > 1000) throw new AppError('validation_failed', 'scale must be a whole number from 1 to 1000');
  const internal = internalUsers(scale, rngOf(seed));
  const partnerList = partners(scale, rngOf(seed + 1));
  const sellers = internal.filter((u) => u.roles.includes('internal_seller') && u.email.startsWith('seller')).map((u) => u.email);
  return { scale, internalUsers: internal, partners: partnerList, accounts: accounts(scale, rngOf(seed + 2), partnerList, sellers) };
}

/** The logins worth printing: one per internal role, and a partner admin and seller per tier. */
export function demoLogins(plan: DemoPlan): DemoLogin[] {
  const wanted = ['admin', 'chief', 'exec1', 'cm1', 'comp1', 'finance1', 'ops1', 'delivery1', 'auditor1', 'mgr1', 'seller1'].map(
    (l) => `${l}@${VENDOR.domain}`,
  );
  const logins: DemoLogin[] = [];
  for (const email of wanted) {
    const u = plan.internalUsers.find((x) => x.email === email);
    if (u) logins.push({ email, password: DEMO_PASSWORD, roles: u.roles });
  }
  for (const tier of demoTiers) {
    const p = plan.partners.find((x) => x.tier === tier);
    if (!p) continue;
    for (const u of p.users.slice(0, 2)) logins.push({ email: u.email, password: DEMO_PASSWORD, roles: u.roles, partner: p.name });
  }
  return logins;
}

// ---------------------------------------------------------------------------------------------
// Loading

const BATCH = 500;

type Ids = { users: Map<string, string>; partners: string[]; accounts: string[] };

async function readMarker(deps: Deps): Promise<string | undefined> {
  return inTransaction(
    deps,
    systemActor('demo'),
    async (trx) => (await trx.selectFrom('appSetting').select('value').where('key', '=', DEMO_MARKER).executeTakeFirst())?.value,
  );
}

/**
 * Loads the demo into an empty (or demo-free) database. A second call finds the marker and
 * changes nothing; a load that was interrupted is refused, because half of it is in the database.
 */
export async function loadDemo(deps: Deps, opts: DemoOptions): Promise<DemoResult> {
  const plan = demoPlan(opts.scale);
  const logins = demoLogins(plan);
  const actor = systemActor('demo');
  const say = (msg: string, extra: Record<string, unknown> = {}) => {
    if (!opts.quiet) deps.log.info(extra, msg);
  };

  const claimed = await inTransaction(deps, actor, async (trx) => {
    const inserted = await trx
      .insertInto('appSetting')
      .values({ key: DEMO_MARKER, value: JSON.stringify({ status: 'loading', scale: plan.scale, seed: DEMO_SEED }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted)
      await recordAudit(trx, deps, actor, {
        action: 'demo.load',
        entityType: 'demo',
        entityId: DEMO_MARKER,
        after: { phase: 'start', scale: plan.scale, seed: DEMO_SEED },
      });
    return inserted !== undefined;
  });
  if (!claimed) {
    const marker = await readMarker(deps);
    if (marker && (JSON.parse(marker) as { status?: string }).status === 'loading') {
      throw new AppError('conflict', 'A demo load is running, or an earlier one was interrupted: start again from an empty database');
    }
    say('the demo data is already loaded: nothing to do');
    return { logins, counts: {}, alreadyLoaded: true };
  }

  const total = countUnits(plan);
  let done = 0;
  const step = (n: number, label: string) => {
    done += n;
    opts.onProgress?.(done, total, label);
  };
  const ids: Ids = { users: new Map(), partners: [], accounts: [] };
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  say('loading the demo data', { scale: plan.scale, vendor: VENDOR.name });
  await loadInternalUsers(deps, plan, ids, passwordHash, step);
  await loadPartners(deps, plan, ids, passwordHash, step);
  await loadAccounts(deps, plan, ids, step);
  await loadRulesOfTheRoad(deps, plan, ids);
  const notifications = await sendWelcomes(deps, plan, ids, step);
  // Six months of deal registrations under the rules just published, through the services.
  const routeOf = (scenario: string) => demoRoutes.find((r) => r.scenario === scenario);
  const engagement = await loadEngagement(
    deps,
    plan,
    ids,
    mulberry32(DEMO_SEED + 3),
    (scenario) => routeOf(scenario)?.reviewer ?? 'cm1',
    (scenario) => routeOf(scenario)?.days ?? 2,
  );
  // Compensation: the old plan and a year of bookings under it, the new plan simulated and rolling out.
  const comp = await loadComp(deps, plan, ids, mulberry32(DEMO_SEED + 4), VENDOR);
  // Scorecards: opportunities, activities, metrics, tier rules, scorecards and two published snapshots.
  const scorecards = await loadScorecards(deps, mulberry32(DEMO_SEED + 5));

  const counts = {
    internalUsers: plan.internalUsers.length,
    partners: plan.partners.length,
    partnerContacts: plan.partners.reduce((n, p) => n + p.contacts.length, 0),
    partnerUsers: plan.partners.reduce((n, p) => n + p.users.length, 0),
    accounts: plan.accounts.length,
    accountOwnerships: plan.accounts.reduce((n, a) => n + a.ownership.length, 0),
    notifications,
    ...engagement,
    ...comp,
    ...scorecards,
  };
  await inTransaction(deps, actor, async (trx) => {
    await trx
      .updateTable('appSetting')
      .set({ value: JSON.stringify({ status: 'loaded', scale: plan.scale, seed: DEMO_SEED, vendor: VENDOR, loadedAt: deps.clock.now().toISOString() }) })
      .where('key', '=', DEMO_MARKER)
      .execute();
    await recordAudit(trx, deps, actor, { action: 'demo.load', entityType: 'demo', entityId: DEMO_MARKER, after: { phase: 'done', counts } });
  });
  say('the demo data is loaded', counts);
  return { logins, counts, alreadyLoaded: false };
}

function countUnits(plan: DemoPlan): number {
  const users = plan.internalUsers.length + plan.partners.reduce((n, p) => n + p.users.length, 0);
  return users + plan.partners.reduce((n, p) => n + 1 + p.contacts.length, 0) + plan.accounts.reduce((n, a) => n + 1 + a.ownership.length, 0) + users;
}

type Step = (n: number, label: string) => void;

/** True for the records of the scale-1 core, which go through the services one by one. */
function isCoreUser(email: string): boolean {
  const m = /^(cm|ops|delivery|mgr|seller)(\d+)@/.exec(email);
  if (!m) return true;
  const n = Number(m[2]);
  const limits: Record<string, number> = { cm: BASE.channelManagers, ops: 2, delivery: 2, mgr: BASE.teams, seller: BASE.teams * BASE.sellersPerTeam };
  return n <= (limits[m[1] ?? ''] ?? 0);
}

async function loadInternalUsers(deps: Deps, plan: DemoPlan, ids: Ids, passwordHash: string, step: Step): Promise<void> {
  const actor = systemActor('demo');
  const extra: PlannedUser[] = [];
  // The plan lists managers before their reports, so each manager's id is known in time.
  for (const u of plan.internalUsers) {
    if (!isCoreUser(u.email)) {
      extra.push(u);
      continue;
    }
    const managerUserId = u.managerEmail ? (ids.users.get(u.managerEmail) ?? null) : null;
    const v = await createUser(deps, actor, {
      email: u.email,
      password: DEMO_PASSWORD,
      displayName: u.displayName,
      roles: u.roles,
      partnerId: null,
      managerUserId,
    });
    ids.users.set(u.email, v.id);
    step(1, 'internal users');
  }
  // Managers first again: a batch may hold a manager and the people who report to them.
  extra.sort((a, b) => Number(b.email.startsWith('mgr')) - Number(a.email.startsWith('mgr')));
  await bulkUsers(deps, extra, null, ids, passwordHash, step, 'internal users');
}

async function bulkUsers(
  deps: Deps,
  users: PlannedUser[],
  partnerOf: ((u: PlannedUser) => string) | null,
  ids: Ids,
  passwordHash: string,
  step: Step,
  label: string,
): Promise<void> {
  for (let i = 0; i < users.length; i += BATCH) {
    const batch = users.slice(i, i + BATCH);
    const rows: Insertable<DB['appUser']>[] = batch.map((u) => {
      const appUserId = newId();
      ids.users.set(u.email, appUserId);
      return {
        appUserId,
        email: u.email,
        displayName: u.displayName,
        passwordHash,
        partnerId: partnerOf ? partnerOf(u) : null,
        roles: u.roles,
        status: 'active',
        managerUserId: u.managerEmail ? (ids.users.get(u.managerEmail) ?? null) : null,
        lockedUntil: null,
        lastLoginAt: null,
      };
    });
    await inBatch(deps, 'app_user', rows.length, (trx) => trx.insertInto('appUser').values(rows).execute());
    step(batch.length, label);
  }
}

/** One system transaction per batch, with one audit entry that says what the batch added. */
async function inBatch(deps: Deps, entityType: string, count: number, insert: (trx: Trx) => Promise<unknown>): Promise<void> {
  const actor = systemActor('demo');
  await inTransaction(deps, actor, async (trx) => {
    await insert(trx);
    await recordAudit(trx, deps, actor, { action: 'demo.load', entityType, entityId: null, after: { phase: 'batch', inserted: count } });
  });
}

async function loadPartners(deps: Deps, plan: DemoPlan, ids: Ids, passwordHash: string, step: Step): Promise<void> {
  const actor = systemActor('demo');
  const core = plan.partners.slice(0, BASE.partners);
  for (const p of core) {
    const v = await createPartner(deps, actor, {
      name: p.name,
      legalName: p.legalName,
      tier: p.tier,
      status: 'active',
      website: p.website,
      country: p.country,
    });
    ids.partners.push(v.id);
    step(1, 'partners');
    for (const c of p.contacts) {
      await addPartnerContact(deps, actor, v.id, c);
      step(1, 'partner contacts');
    }
    for (const u of p.users) {
      const created = await createUser(deps, actor, {
        email: u.email,
        password: DEMO_PASSWORD,
        displayName: u.displayName,
        roles: u.roles,
        partnerId: v.id,
        managerUserId: null,
      });
      ids.users.set(u.email, created.id);
      step(1, 'partner users');
    }
  }

  const extra = plan.partners.slice(BASE.partners);
  const partnerIdOfUser = new Map<string, string>();
  for (let i = 0; i < extra.length; i += BATCH) {
    const batch = extra.slice(i, i + BATCH);
    const partnerRows: Insertable<DB['partner']>[] = [];
    const contactRows: Insertable<DB['partnerContact']>[] = [];
    for (const p of batch) {
      const partnerId = newId();
      ids.partners.push(partnerId);
      partnerRows.push({ partnerId, name: p.name, legalName: p.legalName, tier: p.tier, status: 'active', website: p.website, country: p.country });
      for (const c of p.contacts) contactRows.push({ partnerContactId: newId(), partnerId, ...c });
      for (const u of p.users) partnerIdOfUser.set(u.email, partnerId);
    }
    await inBatch(deps, 'partner', partnerRows.length, async (trx) => {
      await trx.insertInto('partner').values(partnerRows).execute();
      for (let c = 0; c < contactRows.length; c += BATCH)
        await trx
          .insertInto('partnerContact')
          .values(contactRows.slice(c, c + BATCH))
          .execute();
    });
    step(partnerRows.length + contactRows.length, 'partners');
  }
  const extraUsers = extra.flatMap((p) => p.users);
  await bulkUsers(deps, extraUsers, (u) => partnerIdOfUser.get(u.email) ?? '', ids, passwordHash, step, 'partner users');
}

async function loadAccounts(deps: Deps, plan: DemoPlan, ids: Ids, step: Step): Promise<void> {
  const actor = systemActor('demo');
  const ownerOf = (o: PlannedOwnership) => ({
    kind: o.kind,
    partnerId: o.partnerIndex === null ? null : (ids.partners[o.partnerIndex] ?? null),
    ownerUserId: o.ownerEmail ? (ids.users.get(o.ownerEmail) ?? null) : null,
    startsOn: o.startsOn,
  });
  for (const [i, a] of plan.accounts.entries()) {
    if (i >= BASE.accounts) break;
    const parentAccountId = a.parentIndex === null ? null : (ids.accounts[a.parentIndex] ?? null);
    const v = await createAccount(deps, actor, {
      name: a.name,
      domain: a.domain,
      country: a.country,
      taxId: a.taxId,
      industry: a.industry,
      segment: a.segment,
      parentAccountId,
    });
    ids.accounts.push(v.id);
    step(1, 'accounts');
    for (const o of a.ownership) {
      await setAccountOwnership(deps, actor, v.id, ownerOf(o));
      step(1, 'account ownership');
    }
  }

  const extra = plan.accounts.slice(BASE.accounts);
  for (let i = 0; i < extra.length; i += BATCH) {
    const batch = extra.slice(i, i + BATCH);
    const accountRows: Insertable<DB['account']>[] = [];
    const ownershipRows: Insertable<DB['accountOwnership']>[] = [];
    for (const a of batch) {
      const accountId = newId();
      // Parents always come earlier in the plan, so their ids exist (in this batch or before).
      const parentAccountId = a.parentIndex === null ? null : (ids.accounts[a.parentIndex] ?? null);
      ids.accounts.push(accountId);
      accountRows.push({
        accountId,
        name: a.name,
        normalisedName: normaliseAccountName(a.name),
        domain: a.domain,
        country: a.country,
        taxId: a.taxId,
        industry: a.industry,
        segment: a.segment,
        parentAccountId,
      });
      a.ownership.forEach((o, k) => {
        const next = a.ownership[k + 1];
        ownershipRows.push({ accountOwnershipId: newId(), accountId, ...ownerOf(o), endsOn: next ? next.startsOn : null });
      });
    }
    await inBatch(deps, 'account', accountRows.length, async (trx) => {
      await trx.insertInto('account').values(accountRows).execute();
      for (let o = 0; o < ownershipRows.length; o += BATCH)
        await trx
          .insertInto('accountOwnership')
          .values(ownershipRows.slice(o, o + BATCH))
          .execute();
    });
    step(accountRows.length + ownershipRows.length, 'accounts');
  }
}

async function sendWelcomes(deps: Deps, plan: DemoPlan, ids: Ids, step: Step): Promise<number> {
  const partnerNameOf = new Map<string, { name: string; id: string | null }>();
  for (const [i, p] of plan.partners.entries()) for (const u of p.users) partnerNameOf.set(u.email, { name: p.name, id: ids.partners[i] ?? null });
  const everyone = [...plan.internalUsers, ...plan.partners.flatMap((p) => p.users)];
  for (let i = 0; i < everyone.length; i += BATCH) {
    const batch = everyone.slice(i, i + BATCH);
    await inBatch(deps, 'notification', batch.length, async (trx) => {
      for (const u of batch) {
        const userId = ids.users.get(u.email);
        if (!userId) continue;
        const partner = partnerNameOf.get(u.email);
        await notify(trx, {
          userId,
          partnerId: partner?.id ?? null,
          kind: 'welcome',
          title: `Welcome to Realign, ${u.displayName.split(' ')[0] ?? u.displayName}`,
          body: partner
            ? `${VENDOR.name} is moving ${VENDOR.movingUnit} under ${VENDOR.receivingDivision} so that every scenario ${partner.name} brings gets an answer, not only maintenance renewals. Here you will find the new rules of the road, your deals and your scorecard.`
            : `${VENDOR.movingUnit} is moving under ${VENDOR.receivingDivision}. Realign runs the realignment: who decides, the rules of the road, the partner community and how we make our number.`,
          link: '/',
        });
      }
    });
    step(batch.length, 'welcome notifications');
  }
  return everyone.length;
}

/** Who owns each scenario's answer in the demo: units of Technology Services, each with a channel manager as reviewer. */
const demoRoutes: readonly { scenario: string; unit: string; reviewer: string; days: number }[] = [
  { scenario: 'maintenance_renewal', unit: `${VENDOR.movingUnit} – Renewals`, reviewer: 'cm1', days: 2 },
  { scenario: 'new_support_contract', unit: `${VENDOR.movingUnit} – Support Sales`, reviewer: 'cm2', days: 2 },
  { scenario: 'consulting', unit: `${VENDOR.movingUnit} – Consulting`, reviewer: 'cm3', days: 3 },
  { scenario: 'upgrade', unit: `${VENDOR.movingUnit} – Upgrades & Migrations`, reviewer: 'cm4', days: 3 },
  { scenario: 'migration', unit: `${VENDOR.movingUnit} – Upgrades & Migrations`, reviewer: 'cm4', days: 3 },
  { scenario: 'managed_service', unit: `${VENDOR.movingUnit} – Managed Services`, reviewer: 'cm1', days: 5 },
];

/**
 * The rules of the road: v1 in force with a route per scenario, a draft v2 that answers consulting
 * faster, and acceptances by the administrators of every other core partner.
 */
async function loadRulesOfTheRoad(deps: Deps, plan: DemoPlan, ids: Ids): Promise<void> {
  const userId = (local: string) => ids.users.get(`${local}@${VENDOR.domain}`) ?? null;
  const now = deps.clock.now();
  await inBatch(deps, 'rule_set_version', 2, async (trx) => {
    const scenarios = await trx.selectFrom('scenario').select(['key', 'isRenewal', 'active']).orderBy('sortOrder').execute();
    const base = defaultRuleSet(scenarios);
    const v1: RuleSetContent = ruleSetContent.parse({
      ...base,
      routes: [
        ...demoRoutes.map((r) => ({
          id: r.scenario,
          scenarios: [r.scenario],
          owningUnit: r.unit,
          reviewerUserId: userId(r.reviewer),
          escalationUserId: userId('chief'),
          responseBusinessDays: r.days,
        })),
        ...base.routes,
      ],
    });
    const v2 = structuredClone(v1);
    for (const r of v2.routes) if (r.id === 'consulting') r.responseBusinessDays = 2;
    const v1Id = newId();
    const chief = userId('chief');
    await trx
      .insertInto('ruleSetVersion')
      .values([
        {
          ruleSetVersionId: v1Id,
          version: 1,
          status: 'published',
          title: 'Every scenario gets an owner',
          releaseNotes: `Renewals, support contracts, consulting, upgrades, migrations and managed services each have an owning unit in ${VENDOR.movingUnit} and an answer within a set number of business days.`,
          rules: JSON.stringify(v1),
          acknowledgeBy: addDays(dateOf(now), 30),
          createdByUserId: chief,
          publishedAt: now,
          publishedByUserId: chief,
          retiredAt: null,
        },
        {
          ruleSetVersionId: newId(),
          version: 2,
          status: 'draft',
          title: 'Faster answers for consulting',
          releaseNotes: 'Consulting registrations are answered within 2 business days instead of 3.',
          rules: JSON.stringify(v2),
          acknowledgeBy: null,
          createdByUserId: chief,
          publishedAt: null,
          publishedByUserId: null,
          retiredAt: null,
        },
      ])
      .execute();
    const acknowledgements: Insertable<DB['ruleAcknowledgement']>[] = [];
    plan.partners.slice(0, BASE.partners).forEach((p, i) => {
      const partnerId = ids.partners[i];
      const admin = p.users[0] ? ids.users.get(p.users[0].email) : undefined;
      if (i % 2 === 0 && partnerId && admin) acknowledgements.push({ ruleSetVersionId: v1Id, appUserId: admin, partnerId, acknowledgedAt: now });
    });
    if (acknowledgements.length > 0) await trx.insertInto('ruleAcknowledgement').values(acknowledgements).execute();
  });
}

/** For tests and the CLI: whether a demo is in the database. */
export async function demoStatus(deps: Deps): Promise<'none' | 'loading' | 'loaded'> {
  const marker = await readMarker(deps);
  if (!marker) return 'none';
  return (JSON.parse(marker) as { status?: string }).status === 'loaded' ? 'loaded' : 'loading';
}
