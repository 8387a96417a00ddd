import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { PartnerContactView, createPartnerContactRequest } from '../../../../../common/api/partners.ts';
import { api } from '../../../lib/api-client.ts';

export type CreatePartnerContactInput = z.input<typeof createPartnerContactRequest>;

export function createPartnerContact(partnerId: string, input: CreatePartnerContactInput): Promise<PartnerContactView> {
  return api.post<PartnerContactView>(`/api/partners/${encodeURIComponent(partnerId)}/contacts`, input);
}

export function useCreatePartnerContact(partnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreatePartnerContactInput) => createPartnerContact(partnerId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['partners', 'detail', partnerId, 'contacts'] }),
  });
}
