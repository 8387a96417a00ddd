import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateUserRequest, UserView } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';
import { partnerUsersQueryOptions } from '../../partners/api/list-partner-users.ts';

export function createUser(input: CreateUserRequest): Promise<UserView> {
  return api.post<UserView>('/api/users', input);
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: async (user) => {
      // The admin list and, for a partner user, their organisation's user list.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['users'] }),
        user.partnerId ? queryClient.invalidateQueries({ queryKey: partnerUsersQueryOptions(user.partnerId).queryKey }) : undefined,
      ]);
    },
  });
}
