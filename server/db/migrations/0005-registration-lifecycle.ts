import { sql, type Kysely } from 'kysely';

/**
 * Deal registration lifecycle additions: a partner may withdraw a registration (its own status,
 * so friction analytics do not count a withdrawal as a rejection or a lost deal), and the
 * fingerprint of the request that created a registration, an insertion sequence on events, so a replay with the same idempotency
 * key is recognised and the same key with a different body is refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table deal_registration drop constraint if exists deal_registration_status_check;
alter table deal_registration add constraint deal_registration_status_check check (status in ('draft', 'submitted', 'under_review',
  'more_info_requested', 'approved', 'rejected', 'expired', 'won', 'lost', 'withdrawn'));
-- Events of one transaction share an instant; the sequence keeps them in the order they happened.
alter table registration_event add column seq bigint generated always as identity;
drop index if exists registration_event_registration_idx;
create index registration_event_registration_idx on registration_event (deal_registration_id, at, seq);
alter table deal_registration add column request_fingerprint text check (length(request_fingerprint) <= 128);
-- The SLA timer looks for unanswered registrations whose answer is overdue and not yet flagged.
create index deal_registration_sla_open_idx on deal_registration (sla_due_at) where sla_breached_at is null and first_response_at is null;
-- The daily expiry looks for approved registrations whose protection ran out.
create index deal_registration_protection_idx on deal_registration (protection_ends_on) where status = 'approved';
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the registration lifecycle migration cannot be reverted; restore a backup instead');
}
