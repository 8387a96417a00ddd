import type { FxRatePage, FxRateView, UpsertFxRateRequest, UpsertFxRateResult } from '../../../common/api/commissions-fx.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './fx-rates.repository.ts';
import { rateFraction } from './runs.repository.ts';
import { canManageRuns, isPartner } from './runs.service.ts';

/**
 * Maintaining dated exchange rates. Compensation administrators, finance and administrators list
 * and set them; partner users are answered 404 (internal pay). Setting a pair's rate for a day that
 * has one replaces it, and the audit entry keeps the rate it replaced. A rate changed after a
 * period closed changes nothing closed: a later run restates the period.
 */

function guard(actor: Actor): void {
  if (isPartner(actor)) throw notFound('Exchange rate');
  if (!canManageRuns(actor)) throw new AppError('forbidden', 'Compensation administrators, finance and administrators maintain exchange rates');
}

const view = (r: { currency: string; toCurrency: string; validOn: string; rate: string; createdAt: Date }): FxRateView => ({
  currency: r.currency,
  toCurrency: r.toCurrency,
  validOn: r.validOn,
  rate: r.rate,
  createdAt: r.createdAt.toISOString(),
});

export async function listFxRates(deps: Deps, actor: Actor, f: repo.FxRateFilter): Promise<FxRatePage> {
  guard(actor);
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.listFxRates(trx, f);
    return { items: r.items.map(view), total: r.total };
  });
}

export async function setFxRate(deps: Deps, actor: Actor, input: UpsertFxRateRequest): Promise<UpsertFxRateResult> {
  guard(actor);
  const rate = input.rate.trim();
  let fraction: { numerator: number; denominator: number };
  try {
    fraction = rateFraction(rate);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new AppError('validation_failed', `rate: ${message}`, { issues: [{ path: 'body.rate', message }] });
  }
  const key = { currency: input.currency, toCurrency: input.toCurrency, validOn: input.validOn };
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findFxRate(trx, key, true);
    await repo.upsertFxRate(trx, { ...key, rate, ...fraction });
    const after = await repo.findFxRate(trx, key);
    if (!after) throw new AppError('internal', 'the rate just written is not found');
    await recordAudit(trx, deps, actor, {
      action: before ? 'fx_rate.replace' : 'fx_rate.create',
      entityType: 'fx_rate',
      entityId: `${key.currency}/${key.toCurrency}@${key.validOn}`,
      before: before ? { rate: before.rate } : undefined,
      after: { rate },
    });
    return { rate: view(after), replaced: before?.rate ?? null };
  });
}
