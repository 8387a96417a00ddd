import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegistrationAction, RegistrationDetail } from '../../../../../../common/api/engagement-registrations.ts';
import { api } from '../../../../lib/api-client.ts';

export type TransitionInput = { action: RegistrationAction; note?: string; reason?: string };

export function transitionRegistration(id: string, input: TransitionInput): Promise<RegistrationDetail> {
  return api.post<RegistrationDetail>(`/api/registrations/${encodeURIComponent(id)}/transition`, input);
}

export function useTransitionRegistration(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TransitionInput) => transitionRegistration(id, input),
    onSuccess: (r) => {
      queryClient.setQueryData(['registrations', 'detail', id], r);
      return queryClient.invalidateQueries({ queryKey: ['registrations', 'list'] });
    },
  });
}
