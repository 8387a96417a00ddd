import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RolloutSummary } from '../../../../../common/api/comp-rollout.ts';
import { api } from '../../../lib/api-client.ts';
import { rolloutKeys, rolloutPaths } from './paths.ts';

export type RolloutPatch = { deadlineOn?: string; reminderEveryDays?: number; escalateAfterReminders?: number };

export function useUpdateRollout(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: RolloutPatch) => api.patch<RolloutSummary>(rolloutPaths.rollout(id), patch),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolloutKeys.all }),
  });
}
