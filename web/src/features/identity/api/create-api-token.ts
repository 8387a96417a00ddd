import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createApiTokenRequest, createdApiToken } from '../../../../../common/api/identity.ts';
import { api } from '../../../lib/api-client.ts';

export type CreateApiTokenInput = z.input<typeof createApiTokenRequest>;
export type CreatedApiToken = z.infer<typeof createdApiToken>;

export function createApiToken(input: CreateApiTokenInput): Promise<CreatedApiToken> {
  return api.post<CreatedApiToken>('/api/api-tokens', input);
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-tokens'] }),
  });
}
