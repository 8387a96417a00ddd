import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { UserView, updateUserRequest } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';

export type UpdateUserInput = z.input<typeof updateUserRequest>;

export function updateUser(id: string, input: UpdateUserInput): Promise<UserView> {
  return api.patch<UserView>(`/api/users/${encodeURIComponent(id)}`, input);
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateUserInput }) => updateUser(id, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}
