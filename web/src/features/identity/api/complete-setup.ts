import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SessionView, setupRequest } from '../../../../../common/api/identity.ts';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { sessionQueryKey } from './get-session.ts';

export type SetupInput = z.input<typeof setupRequest>;

export async function completeSetup(input: SetupInput): Promise<SessionView> {
  const session = await api.post<SessionView>('/api/setup', input);
  setCsrfToken(session.csrfToken);
  return session;
}

export function useCompleteSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: completeSetup,
    onSuccess: (session) => {
      queryClient.setQueryData(['setup-status'], { needsSetup: false });
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}
