import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../../lib/api-client.ts';

export type AcknowledgeResult = { versionId: string; acknowledgedAt: string; created: boolean };

export function acknowledgeRules(id: string): Promise<AcknowledgeResult> {
  return api.post<AcknowledgeResult>(`/api/rules/versions/${encodeURIComponent(id)}/acknowledge`);
}

export function useAcknowledgeRules() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: acknowledgeRules, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rules'] }) });
}
