import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AccountDetail, updateAccountRequest } from '../../../../../common/api/accounts.ts';
import { api } from '../../../lib/api-client.ts';

export type UpdateAccountInput = z.input<typeof updateAccountRequest>;

export function updateAccount(id: string, input: UpdateAccountInput): Promise<AccountDetail> {
  return api.patch<AccountDetail>(`/api/accounts/${encodeURIComponent(id)}`, input);
}

export function useUpdateAccount(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAccountInput) => updateAccount(id, input),
    onSuccess: (account) => {
      queryClient.setQueryData(['accounts', 'detail', id], account);
      return queryClient.invalidateQueries({ queryKey: ['accounts', 'list'] });
    },
  });
}
