import type { Trx } from '../../deps.ts';

/** SQL of dated exchange rates (fx_rate, migration 0016): read by period runs and the estimator, maintained here. */

export type FxRateFilter = { currency?: string | undefined; toCurrency?: string | undefined; limit: number; offset: number };

export async function listFxRates(trx: Trx, f: FxRateFilter) {
  let q = trx.selectFrom('fxRate');
  if (f.currency) q = q.where('currency', '=', f.currency);
  if (f.toCurrency) q = q.where('toCurrency', '=', f.toCurrency);
  const [items, total] = await Promise.all([
    q
      .select(['currency', 'toCurrency', 'validOn', 'rate', 'createdAt'])
      .orderBy('currency')
      .orderBy('toCurrency')
      .orderBy('validOn', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function findFxRate(trx: Trx, k: { currency: string; toCurrency: string; validOn: string }, lock = false) {
  let q = trx
    .selectFrom('fxRate')
    .select(['currency', 'toCurrency', 'validOn', 'rate', 'createdAt'])
    .where('currency', '=', k.currency)
    .where('toCurrency', '=', k.toCurrency)
    .where('validOn', '=', k.validOn);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Inserts the pair's rate for the day, or replaces it (exact fraction and the decimal text together). */
export async function upsertFxRate(
  trx: Trx,
  r: { currency: string; toCurrency: string; validOn: string; rate: string; numerator: number; denominator: number },
): Promise<void> {
  await trx
    .insertInto('fxRate')
    .values(r)
    .onConflict((oc) => oc.columns(['currency', 'toCurrency', 'validOn']).doUpdateSet({ numerator: r.numerator, denominator: r.denominator, rate: r.rate }))
    .execute();
}
