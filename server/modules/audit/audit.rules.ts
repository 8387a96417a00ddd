import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth: the form that is hashed, so key order never matters. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export type HashedFields = {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  partnerId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/**
 * canonicalJson(fields) up to the seq's digits: `seq` sorts after every other key, so the canonical
 * JSON of the whole entry is this text, the seq in decimal, and `}`. Lets the database hash an entry
 * once it has given it its seq (appendEntry), with exactly the hash entryHash gives.
 */
export function canonicalJsonBeforeSeq(fields: Omit<HashedFields, 'seq'>): string {
  const keys = Object.keys(fields).filter((k) => (fields as Record<string, unknown>)[k] !== undefined);
  if (keys.some((k) => k >= 'seq')) throw new Error('seq must sort after every other hashed field');
  const withoutSeq = canonicalJson(fields);
  return `${withoutSeq.slice(0, -1)}${keys.length > 0 ? ',' : ''}"seq":`;
}

/** Turns Dates and other JSON-able values into exactly what jsonb will give back. */
export function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
