import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { OfferStatus, OfferView } from '../../../../../../common/api/engagement-offers.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export interface SentOffersParams {
  status?: OfferStatus | undefined;
  partnerId?: string | undefined;
  limit: number;
  offset: number;
}

export function listSentOffers(params: SentOffersParams, signal?: AbortSignal): Promise<{ items: OfferView[]; total: number }> {
  return api.get<{ items: OfferView[]; total: number }>(withQuery('/api/offers', { ...params }), signal);
}

export const sentOffersQueryOptions = (params: SentOffersParams) =>
  queryOptions({
    // Under the deal inbox's key, so an accepted or declined offer refreshes this list too.
    queryKey: ['offers', 'list', 'sent', params],
    queryFn: ({ signal }) => listSentOffers(params, signal),
    placeholderData: keepPreviousData,
  });

export function useSentOffers(params: SentOffersParams) {
  return useQuery(sentOffersQueryOptions(params));
}
