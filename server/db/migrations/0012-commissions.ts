import { sql, type Kysely } from 'kysely';

/**
 * Commissions, part one: the transaction store and its imports. Everything here is internal pay:
 * the partner scope sees no row of any of these tables.
 *
 * - transaction_import: one batch (a file, or rows sent through the API). Its content hash is unique,
 *   so sending the same file twice has one effect: the second upload is answered with the first batch.
 * - transaction_import_chunk: the uploaded bytes between upload, validation and commit, in chunks of a
 *   few MB. In the database rather than on a disk because app processes are stateless (the API process
 *   that receives a file and the worker that commits it may run on different machines) and a backup
 *   then holds everything; chunked so neither the upload nor the parse ever holds the file whole. The
 *   chunks are deleted when the batch is committed or rejected; the batch row stays. The foreign key is
 *   deferred so the chunks can be written while the file streams in, before its hash (and so the batch
 *   row) is known.
 * - sales_transaction: one row per (transaction, credited participant): sellers with their split share
 *   (largest remainder, so the shares sum to the whole), overlays with the whole value. participant_id
 *   leads the primary key, so the table can be distributed by participant (Citus) and a period run
 *   aggregates one participant's lines from one index range:
 *     select participant_id, <rate class>, sum(amount_minor) from sales_transaction
 *     where recognised_on >= $from and recognised_on < $to group by 1, 2
 *   Rows are kept narrow (fixed-width columns first). product / scenario / segment / territory are text
 *   for now; at the 10M-row scale they can become small lookup ids without changing the layout.
 *   The app may insert and read lines, never change or delete them: a correction is a new transaction
 *   (a credit note or a cancellation).
 * - A validation leaves on its batch what the commit needs to skip checking every row again: the
 *   rows not to store (bad, or already stored: skip_rows, one bit per data row) and a fingerprint of
 *   what those answers depended on besides the file (store_fingerprint: the store's committed batches
 *   and the participant and partner lookups). The commit, under the store's import lock, compares the
 *   fingerprint: equal, it reads the file once more and writes the rows not skipped without checking
 *   the store; different, it checks every row again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table transaction_import (
  transaction_import_id uuid primary key,
  source_name text not null check (length(source_name) between 1 and 200),
  format text not null check (format in ('csv', 'xlsx', 'json')),
  content_sha256 text not null unique check (content_sha256 ~ '^[0-9a-f]{64}$'),
  client_batch_id text unique check (length(client_batch_id) between 1 and 200),
  size_bytes bigint not null check (size_bytes >= 0),
  headers jsonb not null default '[]' check (jsonb_typeof(headers) = 'array'),
  sample jsonb not null default '[]' check (jsonb_typeof(sample) = 'array'),
  -- [[canonical column, source header], ...]: pairs, not an object, so the app's camelCase mapping of
  -- result keys leaves the column names as they are.
  mapping jsonb not null default '[]' check (jsonb_typeof(mapping) = 'array'),
  status text not null default 'validating' check (status in ('validating', 'committing', 'committed', 'rejected')),
  validated_at timestamptz,
  row_count integer check (row_count >= 0),
  good_count integer check (good_count >= 0),
  bad_count integer check (bad_count >= 0),
  already_stored_count integer check (already_stored_count >= 0),
  problems jsonb not null default '[]' check (jsonb_typeof(problems) = 'array'),
  problems_truncated boolean not null default false,
  commit_mode text check (commit_mode in ('good_rows', 'all_or_nothing')),
  progress_done integer not null default 0 check (progress_done >= 0),
  progress_total integer not null default 0 check (progress_total >= 0),
  stored_lines integer not null default 0 check (stored_lines >= 0),
  store_fingerprint text check (length(store_fingerprint) <= 200),
  skip_rows bytea,
  error text check (length(error) <= 2000),
  created_by_user_id uuid references app_user on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  check ((status in ('committed', 'rejected')) = (finished_at is not null)),
  check (status = 'validating' or commit_mode is not null)
);
create index transaction_import_created_idx on transaction_import (created_at desc);

create table transaction_import_chunk (
  transaction_import_id uuid not null references transaction_import on delete cascade deferrable initially deferred,
  seq integer not null check (seq >= 0),
  bytes bytea not null,
  primary key (transaction_import_id, seq)
);
-- Stored as is: compressing a 200 MB upload on the way in costs more time than the space is worth.
alter table transaction_import_chunk alter column bytes set storage external;

create table sales_transaction (
  participant_id uuid not null references comp_participant on delete restrict,
  sales_transaction_id uuid not null,
  -- No foreign key: lines are written only by their batch's own commit, in its transaction, and a
  -- batch row is never deleted (no grant). The check would cost one lookup per line on a 1M-line import.
  transaction_import_id uuid not null,
  partner_id uuid references partner on delete restrict,
  amount_minor bigint not null,
  deal_amount_minor bigint not null,
  recognised_on date not null,
  original_recognised_on date,
  split_bps integer not null check (split_bps between 1 and 10000),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  role text not null check (role in ('seller', 'overlay')),
  kind text not null check (kind in ('booking', 'invoice', 'credit_note', 'cancellation')),
  sourcing text not null check (sourcing in ('direct', 'partner_sourced', 'partner_influenced')),
  transaction_ref text not null check (length(transaction_ref) between 1 and 120),
  partner_ref text check (length(partner_ref) between 1 and 200),
  product text check (length(product) between 1 and 120),
  scenario text check (length(scenario) between 1 and 60),
  segment text check (length(segment) between 1 and 60),
  end_customer text check (length(end_customer) between 1 and 200),
  territory text check (length(territory) between 1 and 120),
  primary key (participant_id, sales_transaction_id, role),
  -- A source's transaction id names one transaction: each participant is credited once per role.
  unique (transaction_ref, participant_id, role)
);
create index sales_transaction_period_idx on sales_transaction (participant_id, recognised_on);

-- Row-level security: internal pay, never visible to the partner scope.
alter table transaction_import enable row level security;
alter table transaction_import force row level security;
create policy transaction_import_internal on transaction_import
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table transaction_import_chunk enable row level security;
alter table transaction_import_chunk force row level security;
create policy transaction_import_chunk_internal on transaction_import_chunk
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

alter table sales_transaction enable row level security;
alter table sales_transaction force row level security;
create policy sales_transaction_internal on sales_transaction
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));

grant select, insert, update on transaction_import to realign_app;
grant select, insert, delete on transaction_import_chunk to realign_app;
grant select, insert on sales_transaction to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the commissions migration cannot be reverted; restore a backup instead');
}
