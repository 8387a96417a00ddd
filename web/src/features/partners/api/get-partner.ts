import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PartnerView } from '../../../../../common/api/partners.ts';
import { api } from '../../../lib/api-client.ts';

export function getPartner(id: string, signal?: AbortSignal): Promise<PartnerView> {
  return api.get<PartnerView>(`/api/partners/${encodeURIComponent(id)}`, signal);
}

export const partnerQueryOptions = (id: string) => queryOptions({ queryKey: ['partners', 'detail', id], queryFn: ({ signal }) => getPartner(id, signal) });

export function usePartner(id: string) {
  return useQuery(partnerQueryOptions(id));
}
