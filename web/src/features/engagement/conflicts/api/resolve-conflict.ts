import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConflictDetail, ResolveConflictRequest } from '../../../../../../common/api/engagement-conflicts.ts';
import { api } from '../../../../lib/api-client.ts';

export function resolveConflict(id: string, input: ResolveConflictRequest): Promise<ConflictDetail> {
  return api.post<ConflictDetail>(`/api/conflicts/${encodeURIComponent(id)}/resolve`, input);
}

export function useResolveConflict() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: ResolveConflictRequest & { id: string }) => resolveConflict(id, input),
    onSuccess: async (detail) => {
      queryClient.setQueryData(['conflicts', 'detail', detail.id], detail);
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['conflicts'] }), queryClient.invalidateQueries({ queryKey: ['registrations'] })]);
    },
  });
}
