import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { PartnerContactView, updatePartnerContactRequest } from '../../../../../common/api/partners.ts';
import { api } from '../../../lib/api-client.ts';

export type UpdatePartnerContactInput = z.input<typeof updatePartnerContactRequest>;

export function updatePartnerContact(partnerId: string, contactId: string, input: UpdatePartnerContactInput): Promise<PartnerContactView> {
  return api.patch<PartnerContactView>(`/api/partners/${encodeURIComponent(partnerId)}/contacts/${encodeURIComponent(contactId)}`, input);
}

export function useUpdatePartnerContact(partnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, input }: { contactId: string; input: UpdatePartnerContactInput }) => updatePartnerContact(partnerId, contactId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['partners', 'detail', partnerId, 'contacts'] }),
  });
}
