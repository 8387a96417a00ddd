import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ActivityView, LogActivityRequest } from '../../../../../common/api/scorecards.ts';
import { api } from '../../../lib/api-client.ts';
import { scorecardPaths } from './paths.ts';

export function useLogActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LogActivityRequest) => api.post<ActivityView>(scorecardPaths.activities, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['scorecards', 'activities'] }),
  });
}
