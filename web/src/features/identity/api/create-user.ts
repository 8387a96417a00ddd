import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateUserRequest, UserView } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';

export function createUser(input: CreateUserRequest): Promise<UserView> {
  return api.post<UserView>('/api/users', input);
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}
