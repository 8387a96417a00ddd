import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RuleSetVersionView } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function retireRuleVersion(id: string): Promise<RuleSetVersionView> {
  return api.post<RuleSetVersionView>(`/api/rules/versions/${encodeURIComponent(id)}/retire`);
}

export function useRetireRuleVersion() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: retireRuleVersion, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rules'] }) });
}
