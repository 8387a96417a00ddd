import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '../../../lib/api-client.ts';
import { sessionQueryKey } from './get-session.ts';

export async function logout(): Promise<void> {
  await apiRequest<void>('/api/auth/logout', { method: 'POST', quietUnauthenticated: true });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Signed out locally even when the call fails (expired session, network): the cookie is
    // httpOnly, so the server is the one that forgets it; we forget everything we cached.
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(sessionQueryKey, null);
    },
  });
}
