import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RecipientView } from '../../../../../common/api/comp-rollout.ts';
import { api } from '../../../lib/api-client.ts';
import { rolloutKeys, rolloutPaths } from './paths.ts';

/** Every change of a recipient refreshes my plan and the rollout dashboards. */
function useRecipientMutation<I>(fn: (input: I) => Promise<RecipientView>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: rolloutKeys.all }) });
}

export const openPlan = (id: string) => api.post<RecipientView>(rolloutPaths.recipientAction(id, 'open'));

export function useOpenPlan() {
  return useRecipientMutation(openPlan);
}

export function useAcknowledgePlan() {
  return useRecipientMutation((id: string) => api.post<RecipientView>(rolloutPaths.recipientAction(id, 'acknowledge')));
}

export function useDisputePlan() {
  return useRecipientMutation(({ id, comment }: { id: string; comment: string }) =>
    api.post<RecipientView>(rolloutPaths.recipientAction(id, 'dispute'), { comment }),
  );
}

export function useResolveDispute() {
  return useRecipientMutation(({ id, comment }: { id: string; comment: string }) =>
    api.post<RecipientView>(rolloutPaths.recipientAction(id, 'resolve'), { comment }),
  );
}
