import type { ColumnType } from 'kysely';
import type { SimulationRunResult } from '../../../common/api/comp-simulation.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** jsonb: read as the value, written as JSON text. */
type Json<T> = ColumnType<T, string, never>;

/** One plan simulation as it ran (migration 0017). Insert only. */
export interface CompSimulationTable {
  compSimulationId: string;
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  baselineVersionId: string;
  candidateVersionIds: Json<string[]>;
  participantFilter: ColumnType<string[] | null, string | null, never>;
  transactionCount: number;
  participantCount: number;
  currency: string;
  result: Json<SimulationRunResult>;
  createdByUserId: string | null;
  createdAt: CreatedAt;
}
