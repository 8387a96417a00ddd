import { queryOptions, useQuery } from '@tanstack/react-query';
import type { UserView } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';

export function listPartnerUsers(partnerId: string, signal?: AbortSignal): Promise<{ items: UserView[] }> {
  return api.get<{ items: UserView[] }>(`/api/partners/${encodeURIComponent(partnerId)}/users`, signal);
}

export const partnerUsersQueryOptions = (partnerId: string) =>
  queryOptions({
    queryKey: ['partners', 'detail', partnerId, 'users'],
    queryFn: ({ signal }) => listPartnerUsers(partnerId, signal),
  });

export function usePartnerUsers(partnerId: string) {
  return useQuery(partnerUsersQueryOptions(partnerId));
}
