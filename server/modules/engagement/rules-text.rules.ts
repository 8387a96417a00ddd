import type { ProblemIssue } from '../../../common/errors.ts';
import { formatMoney } from '../../../common/money.ts';
import {
  DEFAULT_NAME_SIMILARITY,
  ruleSetContent,
  type EligibilityRule,
  type RouteRule,
  type RuleSetContent,
  type registrationFields,
} from '../../../common/api/rules.ts';

/**
 * Pure rules about the rules of the road as text and data: the default rule set, the shape check
 * with a path for every problem, the reference check against what the database holds, the
 * plain-language rendering for partners and the readable change log between two versions.
 * No I/O: everything arrives as arguments.
 */

export type ScenarioRef = { key: string; name: string; isRenewal: boolean; active: boolean };
export type PlainSection = { title: string; items: string[] };

type CreditingHint = RuleSetContent['crediting'][number];

export const DEFAULT_TIERS = ['registered', 'silver', 'gold', 'platinum'] as const;
export const DEFAULT_OWNING_UNIT = 'Channel desk';

/**
 * The rule set a first draft starts from: every registration is eligible, a catch-all route sends it
 * to the channel desk with a two-business-day answer, approved registrations are protected for 90
 * days with one 30-day extension, the first to register wins and direct-owned accounts go to review.
 * Renewals keep the direct seller's full credit; other scenarios are credited as new business.
 */
export function defaultRuleSet(scenarios: readonly Pick<ScenarioRef, 'key' | 'isRenewal' | 'active'>[]): RuleSetContent {
  const active = scenarios.filter((s) => s.active);
  const renewals = active.filter((s) => s.isRenewal).map((s) => s.key);
  const others = active.filter((s) => !s.isRenewal).map((s) => s.key);
  const crediting: CreditingHint[] = [];
  if (renewals.length > 0)
    crediting.push({
      id: 'renewals',
      scenarios: renewals,
      partnerSourcedMultiplierBps: 10_000,
      partnerInfluencedMultiplierBps: 10_000,
      directSellerCredit: 'full',
    });
  if (others.length > 0)
    crediting.push({
      id: 'new_business',
      scenarios: others,
      partnerSourcedMultiplierBps: 12_000,
      partnerInfluencedMultiplierBps: 10_000,
      directSellerCredit: 'split',
    });
  return {
    tiers: [...DEFAULT_TIERS],
    eligibility: [{ id: 'all_registrations', scenarios: null, minValue: null, requiredFields: [], minTier: null }],
    routes: [
      {
        id: 'catch_all',
        scenarios: null,
        regions: null,
        productLines: null,
        tiers: null,
        owningUnit: DEFAULT_OWNING_UNIT,
        reviewerUserId: null,
        escalationUserId: null,
        responseBusinessDays: 2,
      },
    ],
    protection: { days: 90, extensionDays: 30, maxExtensions: 1, autoApproveWhenClear: false },
    conflicts: { mode: 'first_to_register', directOwnedAccounts: 'review', nameSimilarity: DEFAULT_NAME_SIMILARITY },
    crediting,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

/** ['routes', 2, 'tiers'] under 'rules' -> 'rules.routes[2].tiers'. */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

export type ShapeResult = { ok: true; rules: RuleSetContent } | { ok: false; issues: ProblemIssue[] };

/** Checks the JSON against the contract; every problem comes back with its path under `rules`. */
export function checkRuleSetShape(raw: unknown): ShapeResult {
  const r = ruleSetContent.safeParse(raw);
  if (r.success) return { ok: true, rules: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: issuePath('rules', i.path), message: i.message })) };
}

export type ReferenceData = {
  scenarios: ReadonlyMap<string, { active: boolean }>;
  /** Users named by id in the rules, as found in the database (missing ones are absent). */
  users: ReadonlyMap<string, { internal: boolean; active: boolean }>;
};

/** The ids of the users a rule set names (reviewers and escalation contacts). */
export function namedUserIds(rules: RuleSetContent): string[] {
  const ids = new Set<string>();
  for (const r of rules.routes) {
    if (r.reviewerUserId) ids.add(r.reviewerUserId);
    if (r.escalationUserId) ids.add(r.escalationUserId);
  }
  return [...ids];
}

/** Every scenario key a rule set names (eligibility, routes, crediting). */
export function scenarioKeysNamed(rules: RuleSetContent): Set<string> {
  const keys = new Set<string>();
  for (const list of [rules.eligibility, rules.routes, rules.crediting]) for (const r of list) for (const k of r.scenarios ?? []) keys.add(k);
  return keys;
}

/** Scenario keys must be active scenarios; reviewers and escalation contacts active internal users. */
export function referenceIssues(rules: RuleSetContent, refs: ReferenceData): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const checkScenarios = (keys: readonly string[] | null, path: string) => {
    for (const key of keys ?? []) {
      const s = refs.scenarios.get(key);
      if (!s) issues.push({ path, message: `"${key}" is not a scenario` });
      else if (!s.active) issues.push({ path, message: `scenario "${key}" is inactive` });
    }
  };
  const checkUser = (id: string | null, path: string) => {
    if (!id) return;
    const u = refs.users.get(id);
    if (!u) issues.push({ path, message: `user ${id} does not exist` });
    else if (!u.internal) issues.push({ path, message: `user ${id} is not an internal user` });
    else if (!u.active) issues.push({ path, message: `user ${id} is disabled` });
  };
  rules.eligibility.forEach((r, i) => checkScenarios(r.scenarios, `rules.eligibility[${i}].scenarios`));
  rules.routes.forEach((r, i) => {
    checkScenarios(r.scenarios, `rules.routes[${i}].scenarios`);
    checkUser(r.reviewerUserId, `rules.routes[${i}].reviewerUserId`);
    checkUser(r.escalationUserId, `rules.routes[${i}].escalationUserId`);
  });
  rules.crediting.forEach((r, i) => checkScenarios(r.scenarios, `rules.crediting[${i}].scenarios`));
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Words

export type TextContext = {
  /** Scenario key -> display name; unknown keys show as the key. */
  scenarioNames: ReadonlyMap<string, string>;
  /** User id -> display name. Without it (partners), named staff are not mentioned. */
  userNames?: ReadonlyMap<string, string>;
};

const fieldLabels: Record<(typeof registrationFields)[number], string> = {
  endCustomerDomain: 'end-customer web domain',
  endCustomerTaxId: 'end-customer tax id',
  endCustomerCountry: 'end-customer country',
  productLine: 'product line',
  expectedCloseOn: 'expected close date',
  description: 'description',
};

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function scenarioList(keys: readonly string[] | null, ctx: TextContext): string {
  if (!keys || keys.length === 0) return 'any scenario';
  return listWords(keys.map((k) => ctx.scenarioNames.get(k) ?? k));
}

function anyOrList(keys: readonly string[] | null): string {
  return !keys || keys.length === 0 ? 'any' : keys.join(', ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function multiplier(bps: number): string {
  const x = bps / 10_000;
  return `${Number.isInteger(x) ? x.toFixed(0) : String(Number(x.toFixed(4)))}×`;
}

function userName(id: string | null, ctx: TextContext, none: string): string {
  if (!id) return none;
  return ctx.userNames?.get(id) ?? 'a named person';
}

const conflictModeWords: Record<RuleSetContent['conflicts']['mode'], string> = {
  first_to_register: 'first to register',
  value_added_preferred: 'value-added partner preferred',
};
const directWords: Record<RuleSetContent['conflicts']['directOwnedAccounts'], string> = {
  excluded: 'excluded',
  shared: 'shared',
  review: 'reviewed',
};
const creditWords: Record<CreditingHint['directSellerCredit'], string> = {
  full: 'full',
  split: 'split',
  none: 'none',
};

function eligibilitySentence(r: EligibilityRule, tiers: readonly string[], ctx: TextContext): string {
  const parts = [`${capitalise(scenarioList(r.scenarios, ctx))}:`];
  parts.push(r.minValue && r.minValue.amountMinor > 0 ? `registrations worth at least ${formatMoney(r.minValue)}` : 'registrations of any value');
  parts.push(r.minTier && r.minTier !== tiers[0] ? `from partners of tier ${r.minTier} or higher` : 'from partners of every tier');
  const sentence = parts.join(' ');
  const fields = r.requiredFields.map((f) => fieldLabels[f]);
  return fields.length > 0 ? `${sentence}; include the ${listWords(fields)}.` : `${sentence}.`;
}

function routeScope(r: RouteRule, ctx: TextContext): string {
  const bits: string[] = [];
  if (r.regions?.length) bits.push(`in ${listWords(r.regions)}`);
  if (r.productLines?.length) bits.push(`for product line${r.productLines.length > 1 ? 's' : ''} ${listWords(r.productLines)}`);
  if (r.tiers?.length) bits.push(`from ${listWords(r.tiers)} partners`);
  const catchAll = !r.scenarios?.length && bits.length === 0;
  if (catchAll) return 'Anything not covered above';
  return [capitalise(scenarioList(r.scenarios, ctx)), ...bits].join(' ');
}

function routeSentence(r: RouteRule, ctx: TextContext): string {
  let s = `${routeScope(r, ctx)}: ${r.owningUnit} answers within ${plural(r.responseBusinessDays, 'business day')}`;
  if (ctx.userNames && r.reviewerUserId) s += ` (reviewer: ${userName(r.reviewerUserId, ctx, '')})`;
  return `${s}.`;
}

function creditingSentence(h: CreditingHint, ctx: TextContext): string {
  const direct =
    h.directSellerCredit === 'full'
      ? 'the vendor’s seller on the account keeps full credit'
      : h.directSellerCredit === 'split'
        ? 'credit is split with the vendor’s seller on the account'
        : 'the vendor’s seller on the account is not credited';
  return (
    `${capitalise(scenarioList(h.scenarios, ctx))}: deals you source count ${multiplier(h.partnerSourcedMultiplierBps)}, ` +
    `deals you influence count ${multiplier(h.partnerInfluencedMultiplierBps)} toward the vendor seller’s credit; ${direct}.`
  );
}

/** The rule set in plain language, in the five sections partners read. */
export function renderRuleSetPlain(rules: RuleSetContent, ctx: TextContext): PlainSection[] {
  const tiers = rules.tiers;
  const who: string[] = [`Partner tiers, from entry level to the highest: ${listWords(tiers)}.`];
  for (const r of rules.eligibility) who.push(eligibilitySentence(r, tiers, ctx));

  const answers: string[] = rules.routes.map((r) => routeSentence(r, ctx));
  answers.push('Business days are Monday to Friday; the clock starts when you submit.');

  const p = rules.protection;
  const protectedItems = [`An approved registration protects you for ${plural(p.days, 'day')} from the day it is approved.`];
  if (p.maxExtensions > 0 && p.extensionDays > 0)
    protectedItems.push(
      p.maxExtensions === 1
        ? `You may ask for one extension of ${plural(p.extensionDays, 'day')} before it ends.`
        : `You may ask for up to ${p.maxExtensions} extensions of ${plural(p.extensionDays, 'day')} each before it ends.`,
    );
  else protectedItems.push('Protection cannot be extended.');
  protectedItems.push(
    p.autoApproveWhenClear ? 'An eligible registration that meets no other claim is approved at once.' : 'Every registration is approved by its reviewer.',
  );

  const c = rules.conflicts;
  const conflicts = [
    c.mode === 'first_to_register'
      ? 'When two partners claim the same opportunity, the first to register keeps the protection; the later claim is reviewed.'
      : 'When two partners claim the same opportunity, the partner who adds the most value is preferred; your channel manager decides and records why.',
    c.directOwnedAccounts === 'excluded'
      ? 'Customers the vendor’s direct team owns cannot be registered.'
      : c.directOwnedAccounts === 'shared'
        ? 'On customers the vendor’s direct team owns, an approved registration is shared with the direct team.'
        : 'A registration on a customer the vendor’s direct team owns is reviewed by your channel manager before it is approved.',
    'While a claim is reviewed you see it as “Awaiting review”; nobody learns another partner’s name, deal value or dates.',
  ];

  const credited = rules.crediting.length > 0 ? rules.crediting.map((h) => creditingSentence(h, ctx)) : ['No crediting hints are set in this version.'];

  return [
    { title: 'Who can register what', items: who },
    { title: 'Who answers you and how fast', items: answers },
    { title: 'How long you are protected', items: protectedItems },
    { title: 'When two claims meet', items: conflicts },
    { title: 'How deals are credited', items: credited },
  ];
}

// ---------------------------------------------------------------------------------------------
// Change log

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function moneyWords(m: EligibilityRule['minValue']): string {
  return m ? formatMoney(m) : 'none';
}

function fieldsWords(fields: readonly string[]): string {
  return fields.length === 0 ? 'none' : fields.map((f) => fieldLabels[f as keyof typeof fieldLabels] ?? f).join(', ');
}

type Keyed = { id: string };

/** Added, removed and common entries of two id-keyed lists, in a stable order. */
function byId<T extends Keyed>(before: readonly T[], after: readonly T[]) {
  const b = new Map(before.map((x) => [x.id, x]));
  const a = new Map(after.map((x) => [x.id, x]));
  return {
    added: after.filter((x) => !b.has(x.id)),
    removed: before.filter((x) => !a.has(x.id)),
    common: after.filter((x) => b.has(x.id)).map((x) => [b.get(x.id) as T, x] as const),
  };
}

/**
 * What changed from one version to another, one readable line per change, in the order of the
 * sections partners read. Without user names (partners) changes of named staff are left out.
 */
export function describeRuleSetChanges(before: RuleSetContent, after: RuleSetContent, ctx: TextContext): string[] {
  const out: string[] = [];
  const scen = (keys: readonly string[] | null) => scenarioList(keys, ctx);

  if (!sameList(before.tiers, after.tiers)) out.push(`Partner tiers changed from ${before.tiers.join(', ')} to ${after.tiers.join(', ')}`);

  const el = byId(before.eligibility, after.eligibility);
  for (const r of el.added) out.push(`Eligibility rule ${r.id} added: ${eligibilitySentence(r, after.tiers, ctx)}`);
  for (const r of el.removed) out.push(`Eligibility rule ${r.id} removed`);
  for (const [b, a] of el.common) {
    const p = `Eligibility rule ${a.id}`;
    if (!sameList(b.scenarios, a.scenarios)) out.push(`${p}: scenarios changed from ${scen(b.scenarios)} to ${scen(a.scenarios)}`);
    if (moneyWords(b.minValue) !== moneyWords(a.minValue)) out.push(`${p}: minimum value changed from ${moneyWords(b.minValue)} to ${moneyWords(a.minValue)}`);
    if (!sameList(b.requiredFields, a.requiredFields))
      out.push(`${p}: required fields changed from ${fieldsWords(b.requiredFields)} to ${fieldsWords(a.requiredFields)}`);
    if (b.minTier !== a.minTier) out.push(`${p}: lowest tier changed from ${b.minTier ?? 'any'} to ${a.minTier ?? 'any'}`);
  }

  const rt = byId(before.routes, after.routes);
  for (const r of rt.added) out.push(`Route ${r.id} added: ${routeSentence(r, ctx)}`);
  for (const r of rt.removed) out.push(`Route ${r.id} removed`);
  for (const [b, a] of rt.common) {
    const p = `Route ${a.id}`;
    if (!sameList(b.scenarios, a.scenarios)) out.push(`${p}: scenarios changed from ${scen(b.scenarios)} to ${scen(a.scenarios)}`);
    if (!sameList(b.regions, a.regions)) out.push(`${p}: regions changed from ${anyOrList(b.regions)} to ${anyOrList(a.regions)}`);
    if (!sameList(b.productLines, a.productLines)) out.push(`${p}: product lines changed from ${anyOrList(b.productLines)} to ${anyOrList(a.productLines)}`);
    if (!sameList(b.tiers, a.tiers)) out.push(`${p}: tiers changed from ${anyOrList(b.tiers)} to ${anyOrList(a.tiers)}`);
    if (b.owningUnit !== a.owningUnit) out.push(`${p}: owning unit changed from “${b.owningUnit}” to “${a.owningUnit}”`);
    if (b.responseBusinessDays !== a.responseBusinessDays)
      out.push(`${p}: SLA changed from ${b.responseBusinessDays} to ${plural(a.responseBusinessDays, 'business day')}`);
    if (ctx.userNames) {
      if (b.reviewerUserId !== a.reviewerUserId)
        out.push(`${p}: reviewer changed from ${userName(b.reviewerUserId, ctx, 'the unit queue')} to ${userName(a.reviewerUserId, ctx, 'the unit queue')}`);
      if (b.escalationUserId !== a.escalationUserId)
        out.push(
          `${p}: escalation contact changed from ${userName(b.escalationUserId, ctx, 'the reviewer’s manager')} to ${userName(a.escalationUserId, ctx, 'the reviewer’s manager')}`,
        );
    }
  }
  // Routes are matched in order, so a new order is a change of its own.
  const beforeOrder = before.routes.map((r) => r.id).filter((id) => after.routes.some((r) => r.id === id));
  const afterOrder = after.routes.map((r) => r.id).filter((id) => before.routes.some((r) => r.id === id));
  if (!sameList(beforeOrder, afterOrder)) out.push(`Route order changed from ${beforeOrder.join(', ')} to ${afterOrder.join(', ')}`);

  const pb = before.protection;
  const pa = after.protection;
  if (pb.days !== pa.days) out.push(`Protection window changed from ${pb.days} to ${plural(pa.days, 'day')}`);
  if (pb.extensionDays !== pa.extensionDays) out.push(`Extension length changed from ${pb.extensionDays} to ${plural(pa.extensionDays, 'day')}`);
  if (pb.maxExtensions !== pa.maxExtensions) out.push(`Maximum number of extensions changed from ${pb.maxExtensions} to ${pa.maxExtensions}`);
  if (pb.autoApproveWhenClear !== pa.autoApproveWhenClear)
    out.push(pa.autoApproveWhenClear ? 'Registrations that meet no other claim are now approved at once' : 'Registrations are no longer approved at once');

  const cb = before.conflicts;
  const ca = after.conflicts;
  if (cb.mode !== ca.mode) out.push(`Conflict policy changed from ${conflictModeWords[cb.mode]} to ${conflictModeWords[ca.mode]}`);
  if (cb.directOwnedAccounts !== ca.directOwnedAccounts)
    out.push(`Registrations on direct-owned accounts: changed from ${directWords[cb.directOwnedAccounts]} to ${directWords[ca.directOwnedAccounts]}`);
  if (cb.nameSimilarity !== ca.nameSimilarity)
    out.push(`Name similarity threshold changed from ${Math.round(cb.nameSimilarity * 100)}% to ${Math.round(ca.nameSimilarity * 100)}%`);

  const cr = byId(before.crediting, after.crediting);
  for (const h of cr.added) out.push(`Crediting hint ${h.id} added: ${creditingSentence(h, ctx)}`);
  for (const h of cr.removed) out.push(`Crediting hint ${h.id} removed`);
  for (const [b, a] of cr.common) {
    const p = `Crediting hint ${a.id}`;
    if (!sameList(b.scenarios, a.scenarios)) out.push(`${p}: scenarios changed from ${scen(b.scenarios)} to ${scen(a.scenarios)}`);
    if (b.partnerSourcedMultiplierBps !== a.partnerSourcedMultiplierBps)
      out.push(`${p}: partner-sourced multiplier changed from ${multiplier(b.partnerSourcedMultiplierBps)} to ${multiplier(a.partnerSourcedMultiplierBps)}`);
    if (b.partnerInfluencedMultiplierBps !== a.partnerInfluencedMultiplierBps)
      out.push(
        `${p}: partner-influenced multiplier changed from ${multiplier(b.partnerInfluencedMultiplierBps)} to ${multiplier(a.partnerInfluencedMultiplierBps)}`,
      );
    if (b.directSellerCredit !== a.directSellerCredit)
      out.push(`${p}: direct seller credit changed from ${creditWords[b.directSellerCredit]} to ${creditWords[a.directSellerCredit]}`);
  }
  return out;
}
