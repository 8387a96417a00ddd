import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OfferView } from '../../../../../../common/api/engagement-offers.ts';
import { api } from '../../../../lib/api-client.ts';

export function declineOffer(id: string, note: string): Promise<OfferView> {
  return api.post<OfferView>(`/api/offers/${encodeURIComponent(id)}/decline`, { note });
}

export function useDeclineOffer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) => declineOffer(id, note),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['offers'] }),
  });
}
