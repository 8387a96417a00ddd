import { addDays } from '../../../common/dates.ts';
import { formatMoney } from '../../../common/money.ts';
import type { RouteRule, RuleSetContent, registrationFields } from '../../../common/api/rules.ts';

export type RegistrationField = (typeof registrationFields)[number];

/**
 * The rules of the road applied to one registration: is it eligible, which route owns it, when
 * is the first answer due, until when does an approval protect the partner. Pure: the rule set,
 * the registration and every instant arrive as arguments.
 */

export type EligibilityInput = {
  scenarioKey: string;
  valueMinor: number;
  currency: string;
  partnerTier: string;
  fields: Readonly<Record<RegistrationField, string | null>>;
};

/** A reason the registration is not eligible; `field` is a registration field name or `partnerTier`. */
export type EligibilityProblem = { field: string; message: string };

const fieldLabels: Record<RegistrationField, string> = {
  endCustomerDomain: "the end customer's web domain",
  endCustomerTaxId: "the end customer's tax id",
  endCustomerCountry: "the end customer's country",
  productLine: 'the product line',
  expectedCloseOn: 'the expected close date',
  description: 'a description',
};

function appliesTo(list: readonly string[] | null, value: string | null): boolean {
  return list === null || list.length === 0 || (value !== null && list.includes(value));
}

function formatMinor(amountMinor: number, currency: string): string {
  return formatMoney({ amountMinor, currency });
}

/**
 * Every eligibility rule whose scenarios include the registration's applies, and all of them must
 * hold. A scenario no rule mentions is not open for registration. Returns every problem found, each
 * once, in a stable order.
 */
export function eligibilityProblems(rules: RuleSetContent, reg: EligibilityInput): EligibilityProblem[] {
  const applicable = rules.eligibility.filter((r) => appliesTo(r.scenarios, reg.scenarioKey));
  if (applicable.length === 0)
    return [{ field: 'scenario', message: `the rules of the road do not accept registrations of the scenario "${reg.scenarioKey}"` }];
  const problems: EligibilityProblem[] = [];
  const seen = new Set<string>();
  const add = (p: EligibilityProblem) => {
    const k = `${p.field}|${p.message}`;
    if (!seen.has(k)) problems.push(p);
    seen.add(k);
  };
  for (const rule of applicable) {
    if (rule.minValue) {
      if (rule.minValue.currency !== reg.currency) {
        add({
          field: 'currency',
          message: `must be ${rule.minValue.currency}: the minimum value of this scenario is set in ${rule.minValue.currency} and values in other currencies cannot be compared`,
        });
      } else if (reg.valueMinor < rule.minValue.amountMinor) {
        add({
          field: 'valueMinor',
          message: `must be at least ${formatMinor(rule.minValue.amountMinor, rule.minValue.currency)} for this scenario`,
        });
      }
    }
    for (const f of rule.requiredFields) {
      const v = reg.fields[f];
      if (v === null || v.trim() === '') add({ field: f, message: `is required for this scenario: give ${fieldLabels[f]}` });
    }
    if (rule.minTier) {
      const need = rules.tiers.indexOf(rule.minTier);
      const have = rules.tiers.indexOf(reg.partnerTier);
      if (have < 0) add({ field: 'partnerTier', message: `your partner tier "${reg.partnerTier}" is not one of the tiers of the rules of the road` });
      else if (have < need) add({ field: 'partnerTier', message: `this scenario needs partner tier ${rule.minTier} or higher; yours is ${reg.partnerTier}` });
    }
  }
  return problems;
}

export type RouteInput = { scenarioKey: string; region: string | null; productLine: string | null; tier: string };

/** How many of the four dimensions a route constrains: the more, the more specific. */
export function routeSpecificity(r: RouteRule): number {
  return [r.scenarios, r.regions, r.productLines, r.tiers].filter((l) => l !== null && l.length > 0).length;
}

/** The most specific matching route wins; between equally specific ones, the first in the list. */
export function selectRoute(routes: readonly RouteRule[], reg: RouteInput): RouteRule | null {
  let best: RouteRule | null = null;
  let bestScore = -1;
  for (const r of routes) {
    const matches =
      appliesTo(r.scenarios, reg.scenarioKey) && appliesTo(r.regions, reg.region) && appliesTo(r.productLines, reg.productLine) && appliesTo(r.tiers, reg.tier);
    if (!matches) continue;
    const score = routeSpecificity(r);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

function isWeekend(d: Date): boolean {
  const day = d.getUTCDay();
  return day === 0 || day === 6;
}

/**
 * N business days (Monday to Friday, UTC, no holidays) after an instant, at the same time of day.
 * Friday 15:00 + 2 is Tuesday 15:00; a Saturday submission + 1 is Monday at the same time.
 */
export function addBusinessDays(from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`business days must be a whole number >= 0, got ${days}`);
  const t = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    t.setUTCDate(t.getUTCDate() + 1);
    if (!isWeekend(t)) left--;
  }
  return t;
}

/** An approval on `decidedOn` protects the partner through `decidedOn + days`. */
export function protectionEndsOn(decidedOn: string, days: number): string {
  return addDays(decidedOn, days);
}

/** Protection runs out the day after its last protected day. */
export function protectionExpired(endsOn: string, today: string): boolean {
  return today > endsOn;
}

export type ExtensionPolicy = { extensionDays: number; maxExtensions: number };

/** Why an extension cannot be requested now, or null when it can. */
export function extensionProblem(p: ExtensionPolicy, reg: { status: string; extensionCount: number; pending: boolean }): string | null {
  if (reg.status !== 'approved') return 'only an approved registration can have its protection extended';
  if (p.maxExtensions === 0 || p.extensionDays === 0) return 'the rules of the road allow no extensions';
  if (reg.extensionCount >= p.maxExtensions) return `the protection was already extended ${reg.extensionCount} time(s), the most the rules allow`;
  if (reg.pending) return 'an extension request is already waiting for a decision';
  return null;
}

export type SlaState = 'not_started' | 'running' | 'met' | 'breached';

/** Where the first-response clock stands at `now`. */
export function slaState(reg: { slaDueAt: Date | null; firstResponseAt: Date | null; slaBreachedAt: Date | null }, now: Date): SlaState {
  if (!reg.slaDueAt) return 'not_started';
  if (reg.slaBreachedAt) return 'breached';
  if (reg.firstResponseAt) return reg.firstResponseAt.getTime() <= reg.slaDueAt.getTime() ? 'met' : 'breached';
  return now.getTime() > reg.slaDueAt.getTime() ? 'breached' : 'running';
}
