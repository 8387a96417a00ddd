import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { pageQuery } from './paging.ts';

export const accountSegment = z.enum(['enterprise', 'mid_market', 'smb', 'public_sector']);
export type AccountSegment = z.infer<typeof accountSegment>;

/** direct: the vendor's own sellers; channel: a partner; shared: a partner together with a direct seller. */
export const ownershipKind = z.enum(['direct', 'channel', 'shared']);
export type OwnershipKind = z.infer<typeof ownershipKind>;

export const accountOwnershipView = z.object({
  id: z.uuid(),
  kind: ownershipKind,
  partnerId: z.uuid().nullable(),
  partnerName: z.string().nullable(),
  ownerUserId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  startsOn: z.string().describe('First day of the period, YYYY-MM-DD'),
  endsOn: z.string().nullable().describe('First day after the period (half-open); null while open'),
  createdAt: z.string(),
});
export type AccountOwnershipView = z.infer<typeof accountOwnershipView>;

export const accountView = z.object({
  id: z.uuid(),
  name: z.string(),
  normalisedName: z.string(),
  domain: z.string().nullable(),
  country: z.string().nullable(),
  taxId: z.string().nullable(),
  industry: z.string().nullable(),
  segment: accountSegment.nullable(),
  parentAccountId: z.uuid().nullable(),
  currentOwnership: accountOwnershipView.nullable().describe('The ownership period that contains today, if any'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AccountView = z.infer<typeof accountView>;

export const accountDetail = accountView.extend({
  parentAccountName: z.string().nullable(),
  ownershipHistory: z.array(accountOwnershipView).describe('Every ownership period, newest first'),
});
export type AccountDetail = z.infer<typeof accountDetail>;

export const accountListQuery = pageQuery.extend({
  segment: accountSegment.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});

const country = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code such as DE');
const domain = z.string().trim().min(1).max(253).describe('Web domain such as example.com; a scheme, www. and a path are dropped');

export const createAccountRequest = z.strictObject({
  name: z.string().trim().min(1).max(300),
  domain: domain.nullable().default(null),
  country: country.nullable().default(null),
  taxId: z.string().trim().min(1).max(60).nullable().default(null),
  industry: z.string().trim().min(1).max(120).nullable().default(null),
  segment: accountSegment.nullable().default(null),
  parentAccountId: z.uuid().nullable().default(null),
});

export const updateAccountRequest = z.strictObject({
  name: z.string().trim().min(1).max(300).optional(),
  domain: domain.nullable().optional(),
  country: country.nullable().optional(),
  taxId: z.string().trim().min(1).max(60).nullable().optional(),
  industry: z.string().trim().min(1).max(120).nullable().optional(),
  segment: accountSegment.nullable().optional(),
  parentAccountId: z.uuid().nullable().optional(),
});

export const setAccountOwnershipRequest = z.strictObject({
  kind: ownershipKind,
  partnerId: z.uuid().nullable().default(null).describe('Required for channel and shared ownership; must be empty for direct'),
  ownerUserId: z.uuid().nullable().default(null),
  startsOn: isoDate.describe('The new owner takes over on this day; the current period ends the same day'),
});
