import { z } from 'zod';

export const partnerStatus = z.enum(['prospect', 'active', 'inactive', 'suspended']);

export const partnerView = z.object({
  id: z.uuid(),
  name: z.string(),
  legalName: z.string().nullable(),
  tier: z.string(),
  status: partnerStatus,
  website: z.string().nullable(),
  country: z.string().nullable(),
  regions: z.array(z.string()),
  specialisations: z.array(z.string()),
  channelManagerUserId: z.uuid().nullable(),
  /** The channel manager's name; null when none is set or the reader may not see internal users. */
  channelManagerName: z.string().nullable(),
  /** Derived, never stored: the latest registration, offer response, partner user sign-in or rule acknowledgement. */
  lastEngagementAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PartnerView = z.infer<typeof partnerView>;

const country = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code such as DE')
  .nullable();

/** Short labels such as "EMEA" or "Managed services": trimmed, de-duplicated, at most 20. */
const tagList = z
  .array(z.string().trim().min(1).max(60))
  .max(20)
  .transform((xs) => [...new Set(xs)]);

export const createPartnerRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  legalName: z.string().trim().min(1).max(300).nullable().default(null),
  tier: z.string().trim().min(1).max(60).default('registered'),
  status: partnerStatus.default('active'),
  website: z.string().trim().max(300).nullable().default(null),
  country: country.default(null),
  regions: tagList.default([]),
  specialisations: tagList.default([]),
  channelManagerUserId: z.uuid().nullable().default(null),
});

export const updatePartnerRequest = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  legalName: z.string().trim().min(1).max(300).nullable().optional(),
  tier: z.string().trim().min(1).max(60).optional(),
  status: partnerStatus.optional(),
  website: z.string().trim().max(300).nullable().optional(),
  country: country.optional(),
  regions: tagList.optional(),
  specialisations: tagList.optional(),
  channelManagerUserId: z.uuid().nullable().optional(),
});

export const partnerListQuery = z.strictObject({
  q: z.string().trim().max(200).optional().describe('Search text'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  tier: z.string().trim().min(1).max(60).optional(),
  status: partnerStatus.optional(),
  region: z.string().trim().min(1).max(60).optional(),
  specialisation: z.string().trim().min(1).max(60).optional(),
  channelManagerUserId: z.uuid().optional(),
});
export type PartnerListQuery = z.output<typeof partnerListQuery>;

export const partnerContactView = z.object({
  id: z.uuid(),
  partnerId: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  title: z.string().nullable(),
  isExecutive: z.boolean(),
});
export type PartnerContactView = z.infer<typeof partnerContactView>;

export const createPartnerContactRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().max(320).pipe(z.email()).nullable().default(null),
  phone: z.string().trim().max(60).nullable().default(null),
  title: z.string().trim().max(200).nullable().default(null),
  isExecutive: z.boolean().default(false),
});
export const updatePartnerContactRequest = createPartnerContactRequest.partial();
