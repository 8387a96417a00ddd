import { sql, type Kysely } from 'kysely';

/**
 * Conflict detection: the key end-customer names are compared on, trigram indexes on it that stay
 * usable under row-level security, and indexes for matching accounts by domain and tax id.
 *
 * The key is the normalised name (server/modules/accounts/accounts.rules.ts) without the words that
 * say what KIND of company it is ("group", "holdings", "international", "services", "systems", and
 * their abbreviations). Those words carry many trigrams and no identity: kept, "Harlow Freight
 * Group" looks like "Kestrel Freight Group", and "Oramor" does not look like "Oramor International".
 * Measured on the labelled fixture (bench engagement.conflict-quality, docs/benchmarks.md).
 * A name made only of such words keeps them all.
 *
 * Under row-level security PostgreSQL only uses an index for a condition whose functions are
 * LEAKPROOF (otherwise the condition could see rows before the policy hides them). The key function
 * and pg_trgm's `%` (similarity_op) raise no data-dependent errors and have no side effects, so they
 * are declared leakproof; that needs a superuser, and without one detection stays correct, only
 * slower (a sequential scan).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create function realign_customer_match_key(normalised_name text) returns text
  language sql immutable strict parallel safe
  return coalesce(nullif(array_to_string(array(
    select w from unnest(string_to_array(normalised_name, ' ')) with ordinality as u(w, i)
    where w <> all ('{the,and,of,group,grp,holding,holdings,hldgs,international,intl,worldwide,solution,solutions,soln,solns,service,services,svc,svcs,technology,technologies,tech,techs,industry,industries,ind,inds,enterprise,enterprises,ent,associates,assoc,assocs,system,systems,sys,syst,manufacturing,mfg,management,mgmt,laboratories,laboratory,labs,lab,brothers,bros,partners,ptnrs,communications,comms,comm,products,prods,distribution,dist,distrib,development,dev,devel}'::text[])
    order by i), ' '), ''), normalised_name);

do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    alter function realign_customer_match_key(text) leakproof;
    alter function similarity_op(text, text) leakproof;
  end if;
end $$;

-- fastupdate off: every submission searches these, and a pending list (searched row by row until
-- a vacuum merges it) made one detection cost tens of milliseconds at 10k rows.
create index deal_registration_match_key_trgm_idx on deal_registration
  using gin (realign_customer_match_key(end_customer_normalised_name) gin_trgm_ops) with (fastupdate = off);
create index account_match_key_trgm_idx on account using gin (realign_customer_match_key(normalised_name) gin_trgm_ops) with (fastupdate = off);
-- Plain equality (leakproof) rather than lower(domain): domains are stored in lower case.
create index account_domain_idx on account (domain) where domain is not null;
create index account_tax_id_idx on account (tax_id) where tax_id is not null;
-- The other side of a conflict, and conflicts by account (the heat map).
create index registration_conflict_other_idx on registration_conflict (other_registration_id) where other_registration_id is not null;
create index registration_conflict_account_idx on registration_conflict (account_id) where account_id is not null;

grant execute on function realign_customer_match_key(text) to realign_app;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the conflicts migration cannot be reverted; restore a backup instead');
}
