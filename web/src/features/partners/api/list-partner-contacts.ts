import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PartnerContactView } from '../../../../../common/api/partners.ts';
import { api } from '../../../lib/api-client.ts';

export function listPartnerContacts(partnerId: string, signal?: AbortSignal): Promise<{ items: PartnerContactView[] }> {
  return api.get<{ items: PartnerContactView[] }>(`/api/partners/${encodeURIComponent(partnerId)}/contacts`, signal);
}

export const partnerContactsQueryOptions = (partnerId: string) =>
  queryOptions({
    queryKey: ['partners', 'detail', partnerId, 'contacts'],
    queryFn: ({ signal }) => listPartnerContacts(partnerId, signal),
  });

export function usePartnerContacts(partnerId: string) {
  return useQuery(partnerContactsQueryOptions(partnerId));
}
