import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OfferView } from '../../../../../../common/api/engagement-offers.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export function listOffers(params: { status?: string; limit: number; offset: number }, signal?: AbortSignal): Promise<{ items: OfferView[]; total: number }> {
  return api.get<{ items: OfferView[]; total: number }>(withQuery('/api/offers', params), signal);
}

export const offersQueryOptions = (params: { status?: string; limit: number; offset: number }) =>
  queryOptions({ queryKey: ['offers', 'list', params], queryFn: ({ signal }) => listOffers(params, signal) });

export function useOffers(params: { status?: string; limit: number; offset: number }) {
  return useQuery(offersQueryOptions(params));
}
