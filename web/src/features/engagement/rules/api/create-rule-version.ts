import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateRuleSetVersionRequest, RuleSetVersionView } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function createRuleVersion(input: CreateRuleSetVersionRequest): Promise<RuleSetVersionView> {
  return api.post<RuleSetVersionView>('/api/rules/versions', input);
}

export function useCreateRuleVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createRuleVersion,
    onSuccess: (v) => {
      queryClient.setQueryData(['rules', 'version', v.id], v);
      return queryClient.invalidateQueries({ queryKey: ['rules', 'versions'] });
    },
  });
}
