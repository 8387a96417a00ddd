import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { PartnerView, createPartnerRequest } from '../../../../../common/api/partners.ts';
import { api } from '../../../lib/api-client.ts';

export type CreatePartnerInput = z.input<typeof createPartnerRequest>;

export function createPartner(input: CreatePartnerInput): Promise<PartnerView> {
  return api.post<PartnerView>('/api/partners', input);
}

export function useCreatePartner() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createPartner,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['partners', 'list'] }),
  });
}
