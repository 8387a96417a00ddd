import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AccountDetail, setAccountOwnershipRequest } from '../../../../../common/api/accounts.ts';
import { api } from '../../../lib/api-client.ts';

export type SetAccountOwnershipInput = z.input<typeof setAccountOwnershipRequest>;

export function setAccountOwnership(id: string, input: SetAccountOwnershipInput): Promise<AccountDetail> {
  return api.post<AccountDetail>(`/api/accounts/${encodeURIComponent(id)}/ownership`, input);
}

export function useSetAccountOwnership(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetAccountOwnershipInput) => setAccountOwnership(id, input),
    onSuccess: (account) => {
      queryClient.setQueryData(['accounts', 'detail', id], account);
      return queryClient.invalidateQueries({ queryKey: ['accounts', 'list'] });
    },
  });
}
