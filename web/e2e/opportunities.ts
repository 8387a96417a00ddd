import type { OpportunityStage } from '../../common/scorecards/metric.ts';
import { systemActor } from '../../server/actor.ts';
import { inTransaction, type Deps } from '../../server/deps.ts';
import { newId } from '../../server/lib/ids.ts';

/** One opportunity of a browser test's fixture, in USD; what is not given stays empty. */
export type TestOpportunity = {
  partnerId: string | null;
  stage: OpportunityStage;
  valueMinor: number;
  engageOn: string;
  closeOn: string;
  accountName?: string;
  product?: string;
};

/** Stores a seller's opportunities as an import would (source 'test', external ids `${prefix}-0`, `${prefix}-1`, ...). */
export async function insertOpportunities(deps: Deps, sellerParticipantId: string, prefix: string, deals: readonly TestOpportunity[]): Promise<void> {
  await inTransaction(deps, systemActor('test'), (trx) =>
    trx
      .insertInto('opportunity')
      .values(
        deals.map((d, i) => ({
          opportunityId: newId(),
          source: 'test',
          externalId: `${prefix}-${i}`,
          sellerParticipantId,
          stage: d.stage,
          engageOn: d.engageOn,
          closeOn: d.closeOn,
          valueMinor: d.valueMinor,
          currency: 'USD',
          partnerId: d.partnerId,
          ...(d.accountName === undefined ? {} : { accountName: d.accountName }),
          ...(d.product === undefined ? {} : { product: d.product }),
        })),
      )
      .execute(),
  );
}
