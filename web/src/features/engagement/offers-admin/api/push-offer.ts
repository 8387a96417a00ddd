import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createOfferRequest, OfferView } from '../../../../../../common/api/engagement-offers.ts';
import { api } from '../../../../lib/api-client.ts';

export type PushOfferBody = z.input<typeof createOfferRequest>;

export function pushOffer(body: PushOfferBody): Promise<OfferView> {
  return api.post<OfferView>('/api/offers', body);
}

export function usePushOffer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: pushOffer,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['offers', 'list'] }),
  });
}
