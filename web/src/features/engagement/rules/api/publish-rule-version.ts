import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PublishRuleSetVersionRequest, RuleSetVersionView } from '../../../../../../common/api/engagement-rules.ts';
import { api } from '../../../../lib/api-client.ts';

export function publishRuleVersion(id: string, input: PublishRuleSetVersionRequest): Promise<RuleSetVersionView> {
  return api.post<RuleSetVersionView>(`/api/rules/versions/${encodeURIComponent(id)}/publish`, input);
}

export function usePublishRuleVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: PublishRuleSetVersionRequest & { id: string }) => publishRuleVersion(id, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rules'] }),
  });
}
