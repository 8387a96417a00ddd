import type { ColumnType } from 'kysely';
import type { AccountSegment, OwnershipKind } from '../../../common/api/accounts.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AccountTable {
  accountId: string;
  name: string;
  normalisedName: string;
  domain: string | null;
  country: string | null;
  taxId: string | null;
  industry: string | null;
  segment: AccountSegment | null;
  parentAccountId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AccountOwnershipTable {
  accountOwnershipId: string;
  accountId: string;
  kind: OwnershipKind;
  partnerId: string | null;
  ownerUserId: string | null;
  /** YYYY-MM-DD; the period is [startsOn, endsOn). */
  startsOn: string;
  endsOn: string | null;
  createdAt: Timestamp;
}
