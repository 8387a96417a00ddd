import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { amountMinor, currencyCode } from '../money.ts';
import { registrationFieldsShape } from './engagement-registrations.ts';

/**
 * The deal inbox: opportunities the vendor pushes to a partner. The partner accepts (which
 * registers the deal through the ordinary submission path) or declines with a note; an offer left
 * unanswered past its respond-by date expires.
 */

export const offerStatus = z.enum(['offered', 'accepted', 'declined', 'withdrawn', 'expired']);
export type OfferStatus = z.infer<typeof offerStatus>;

const text = (max: number) => z.string().trim().min(1).max(max);

export const createOfferRequest = z.strictObject({
  partnerId: z.uuid(),
  scenario: registrationFieldsShape.scenario,
  endCustomerName: text(300),
  endCustomerDomain: z.string().trim().min(1).max(300).nullable().default(null),
  endCustomerCountry: registrationFieldsShape.endCustomerCountry,
  valueMinor: amountMinor.min(0, 'must not be negative'),
  currency: currencyCode,
  expectedCloseOn: isoDate.nullable().default(null),
  description: text(4000).nullable().default(null),
  respondBy: isoDate.describe('The partner answers by this day; the offer expires after it'),
});
export type CreateOfferInput = z.output<typeof createOfferRequest>;

export const acceptOfferRequest = z.strictObject({
  note: text(2000).optional(),
  productLine: registrationFieldsShape.productLine.optional(),
  region: registrationFieldsShape.region.optional(),
  endCustomerTaxId: registrationFieldsShape.endCustomerTaxId.optional(),
});
export const declineOfferRequest = z.strictObject({ note: text(2000) });

export const offerListQuery = z.strictObject({
  status: offerStatus.optional(),
  partnerId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type OfferListQuery = z.output<typeof offerListQuery>;

export const offerView = z.object({
  id: z.uuid(),
  partnerId: z.uuid(),
  partnerName: z.string().nullable(),
  scenario: z.object({ id: z.uuid(), key: z.string(), name: z.string() }),
  endCustomerName: z.string(),
  endCustomerDomain: z.string().nullable(),
  endCustomerCountry: z.string().nullable(),
  valueMinor: z.number().int(),
  currency: z.string(),
  expectedCloseOn: z.string().nullable(),
  description: z.string().nullable(),
  status: offerStatus,
  respondBy: z.string(),
  respondedAt: z.string().nullable(),
  responseNote: z.string().nullable(),
  registrationId: z.uuid().nullable(),
  registrationReference: z.string().nullable(),
  offeredByName: z.string().nullable(),
  createdAt: z.string(),
});
export type OfferView = z.infer<typeof offerView>;
