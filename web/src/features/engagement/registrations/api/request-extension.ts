import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegistrationDetail } from '../../../../../../common/api/engagement-registrations.ts';
import { api } from '../../../../lib/api-client.ts';

export function requestExtension(id: string, note?: string): Promise<RegistrationDetail> {
  return api.post<RegistrationDetail>(`/api/registrations/${encodeURIComponent(id)}/extension`, note ? { note } : {});
}

export function useRequestExtension(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (note?: string) => requestExtension(id, note),
    onSuccess: (r) => queryClient.setQueryData(['registrations', 'detail', id], r),
  });
}
