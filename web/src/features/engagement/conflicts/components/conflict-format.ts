import type { ConflictResolution, ConflictView } from '../../../../../../common/api/engagement-conflicts.ts';
import { formatMoney } from '../../../../../../common/money.ts';

export const resolutionLabels: Record<ConflictResolution, string> = {
  award_new: 'Award the new registration',
  award_existing: 'Award the existing claim',
  share: 'Share',
  reject_new: 'Reject the new registration',
  dismissed: 'Dismiss (false positive)',
};

/** What each decision does, in the words of the API description. */
export const resolutionEffects: Record<ConflictResolution, string> = {
  award_new:
    'The new registration goes on to its reviewer (or is approved at once when its rules approve automatically). The existing registration is rejected if still pending, or its protection ends today if it was approved.',
  award_existing: 'The new registration is rejected; the existing claim keeps the opportunity.',
  share: 'Both registrations go on; nobody is rejected.',
  reject_new: 'The new registration is rejected; nothing else changes.',
  dismissed: 'Not a real conflict: the new registration goes on as if nothing had been found.',
};

export function matchText(c: Pick<ConflictView, 'matchReason' | 'similarity'>): string {
  switch (c.matchReason) {
    case 'domain':
      return 'Same web domain';
    case 'tax_id':
      return 'Same tax id';
    case 'account':
      return 'Same account';
    case 'name':
      return c.similarity === null ? 'Similar name' : `Similar name (${Math.round(c.similarity * 100)}% alike)`;
  }
}

export function kindText(c: Pick<ConflictView, 'kind'>): string {
  return c.kind === 'partner_vs_partner' ? 'Partner vs partner' : 'Partner vs direct';
}

export function money(valueMinor: number, currency: string): string {
  return formatMoney({ amountMinor: valueMinor, currency });
}

export function ageText(days: number): string {
  return days === 0 ? 'today' : days === 1 ? '1 day' : `${days} days`;
}
