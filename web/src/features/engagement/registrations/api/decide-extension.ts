import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegistrationDetail } from '../../../../../../common/api/engagement-registrations.ts';
import { api } from '../../../../lib/api-client.ts';

export type ExtensionDecision = { decision: 'grant' | 'deny'; note?: string };

export function decideExtension(id: string, input: ExtensionDecision): Promise<RegistrationDetail> {
  return api.post<RegistrationDetail>(`/api/registrations/${encodeURIComponent(id)}/extension/decision`, input);
}

export function useDecideExtension(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ExtensionDecision) => decideExtension(id, input),
    onSuccess: (r) => queryClient.setQueryData(['registrations', 'detail', id], r),
  });
}
