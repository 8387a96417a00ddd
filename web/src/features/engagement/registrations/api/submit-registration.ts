import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegistrationDetail } from '../../../../../../common/api/engagement-registrations.ts';
import { api } from '../../../../lib/api-client.ts';

export function submitRegistration(id: string): Promise<RegistrationDetail> {
  return api.post<RegistrationDetail>(`/api/registrations/${encodeURIComponent(id)}/submit`);
}

export function useSubmitRegistration(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => submitRegistration(id),
    onSuccess: (r) => {
      queryClient.setQueryData(['registrations', 'detail', id], r);
      return queryClient.invalidateQueries({ queryKey: ['registrations', 'list'] });
    },
  });
}
