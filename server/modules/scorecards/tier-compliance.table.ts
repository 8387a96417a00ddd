import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PartnerTierRulesTable {
  key: string;
  rules: ColumnType<unknown, string, string>;
  updatedBy: string;
  updatedByUserId: string | null;
  updatedAt: Timestamp;
}

export interface PartnerAttributeTable {
  partnerId: string;
  key: string;
  value: number;
  note: string | null;
  recordedOn: ColumnType<string, string, string>;
  updatedBy: string;
  updatedByUserId: string | null;
  updatedAt: Timestamp;
}
