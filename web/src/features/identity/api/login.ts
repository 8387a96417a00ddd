import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SessionView, loginRequest } from '../../../../../common/api/identity.ts';
import { apiRequest, setCsrfToken } from '../../../lib/api-client.ts';
import { sessionQueryKey } from './get-session.ts';

export type LoginInput = z.input<typeof loginRequest>;

export async function login(input: LoginInput): Promise<SessionView> {
  const session = await apiRequest<SessionView>('/api/auth/login', {
    method: 'POST',
    body: input,
    quietUnauthenticated: true,
  });
  setCsrfToken(session.csrfToken);
  return session;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}
