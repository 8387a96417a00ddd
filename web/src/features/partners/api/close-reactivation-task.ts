import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { closeReactivationTaskRequest, ReactivationTaskView } from '../../../../../common/api/partners-reengagement.ts';
import { api } from '../../../lib/api-client.ts';

export type CloseTaskInput = z.input<typeof closeReactivationTaskRequest>;

export function closeReactivationTask(taskId: string, input: CloseTaskInput): Promise<ReactivationTaskView> {
  return api.post<ReactivationTaskView>(`/api/partners/reengagement/tasks/${encodeURIComponent(taskId)}/close`, input);
}

export function useCloseReactivationTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, input }: { taskId: string; input: CloseTaskInput }) => closeReactivationTask(taskId, input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['partners', 'reactivation-tasks'] }),
        queryClient.invalidateQueries({ queryKey: ['partners', 'reengagement-summary'] }),
        queryClient.invalidateQueries({ queryKey: ['partners', 'quiet'] }),
      ]),
  });
}
