import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { UserView, updateUserRequest } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';
import { partnerUsersQueryOptions } from '../../partners/api/list-partner-users.ts';

export type UpdateUserInput = z.input<typeof updateUserRequest>;

export function updateUser(id: string, input: UpdateUserInput): Promise<UserView> {
  return api.patch<UserView>(`/api/users/${encodeURIComponent(id)}`, input);
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateUserInput }) => updateUser(id, input),
    onSuccess: async (user) => {
      // The admin list and, for a partner user, their organisation's user list.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['users'] }),
        user.partnerId ? queryClient.invalidateQueries({ queryKey: partnerUsersQueryOptions(user.partnerId).queryKey }) : undefined,
      ]);
    },
  });
}
