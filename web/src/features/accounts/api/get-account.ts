import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AccountDetail } from '../../../../../common/api/accounts.ts';
import { api } from '../../../lib/api-client.ts';

export function getAccount(id: string, signal?: AbortSignal): Promise<AccountDetail> {
  return api.get<AccountDetail>(`/api/accounts/${encodeURIComponent(id)}`, signal);
}

export const accountQueryOptions = (id: string) => queryOptions({ queryKey: ['accounts', 'detail', id], queryFn: ({ signal }) => getAccount(id, signal) });

export function useAccount(id: string) {
  return useQuery(accountQueryOptions(id));
}
