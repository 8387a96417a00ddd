import { sql, type Kysely } from 'kysely';

/**
 * Partner tier compliance (issue 6, item 3).
 *
 * - `partner_tier_rules`: the tier rules document (common/scorecards/tier-rules.ts) as JSON, one row
 *   per rule set (`default` is the one in force; without a row the built-in default applies). The
 *   rules are programme criteria, not a partner's figures: partners may read them, only internal
 *   users change them.
 * - `partner_attribute`: figures recorded per partner by channel managers (certified people,
 *   certifications, customer satisfaction...), one per partner and attribute key. Row-level
 *   security: internal and system scopes see all; a partner sees its own rows only and writes none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create table partner_tier_rules (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{0,59}$'),
  rules jsonb not null check (jsonb_typeof(rules) = 'object'),
  updated_by text not null,
  updated_by_user_id uuid references app_user on delete set null,
  updated_at timestamptz not null default now()
);

create table partner_attribute (
  partner_id uuid not null references partner on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,59}$'),
  value double precision not null check (value >= 0),
  note text check (length(note) <= 500),
  recorded_on date not null,
  updated_by text not null,
  updated_by_user_id uuid references app_user on delete set null,
  updated_at timestamptz not null default now(),
  primary key (partner_id, key)
);

alter table partner_tier_rules enable row level security;
alter table partner_tier_rules force row level security;
create policy partner_tier_rules_internal on partner_tier_rules
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
create policy partner_tier_rules_partner on partner_tier_rules for select using (realign_scope() = 'partner');

alter table partner_attribute enable row level security;
alter table partner_attribute force row level security;
create policy partner_attribute_internal on partner_attribute
  using (realign_scope() in ('system', 'internal')) with check (realign_scope() in ('system', 'internal'));
create policy partner_attribute_partner on partner_attribute for select
  using (realign_scope() = 'partner' and realign_sees_partner(partner_id));

grant select, insert, update, delete on partner_tier_rules, partner_attribute to realign_app;
`,
    )
    .execute(db);
}
