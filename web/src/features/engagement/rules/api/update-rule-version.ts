import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RuleSetVersionView, UpdateRuleSetVersionRequest } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function updateRuleVersion(id: string, input: UpdateRuleSetVersionRequest): Promise<RuleSetVersionView> {
  return api.patch<RuleSetVersionView>(`/api/rules/versions/${encodeURIComponent(id)}`, input);
}

export function useUpdateRuleVersion(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateRuleSetVersionRequest) => updateRuleVersion(id, input),
    onSuccess: (v) => {
      queryClient.setQueryData(['rules', 'version', id], v);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['rules', 'versions'] }),
        queryClient.invalidateQueries({ queryKey: ['rules', 'version', id, 'plain'] }),
        queryClient.invalidateQueries({ queryKey: ['rules', 'version', id, 'changes'] }),
      ]);
    },
  });
}
