import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AccountDetail, createAccountRequest } from '../../../../../common/api/accounts.ts';
import { api } from '../../../lib/api-client.ts';

export type CreateAccountInput = z.input<typeof createAccountRequest>;

export function createAccount(input: CreateAccountInput): Promise<AccountDetail> {
  return api.post<AccountDetail>('/api/accounts', input);
}

export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAccount,
    onSuccess: (account) => {
      queryClient.setQueryData(['accounts', 'detail', account.id], account);
      return queryClient.invalidateQueries({ queryKey: ['accounts', 'list'] });
    },
  });
}
