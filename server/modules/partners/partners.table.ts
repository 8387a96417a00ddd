import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PartnerTable {
  partnerId: string;
  name: string;
  legalName: string | null;
  tier: string;
  status: 'prospect' | 'active' | 'inactive' | 'suspended';
  website: string | null;
  country: string | null;
  regions: ColumnType<string[], string[] | undefined, string[]>;
  specialisations: ColumnType<string[], string[] | undefined, string[]>;
  channelManagerUserId: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PartnerContactTable {
  partnerContactId: string;
  partnerId: string;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  isExecutive: boolean;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}
