import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkMode, BulkUploadReport } from '../../../../../../common/api/engagement-registrations.ts';
import { api } from '../../../../lib/api-client.ts';

export function bulkRegister(input: { csv: string; mode: BulkMode }): Promise<BulkUploadReport> {
  return api.post<BulkUploadReport>('/api/registrations/bulk', input);
}

export function useBulkRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bulkRegister,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['registrations', 'list'] }),
  });
}
