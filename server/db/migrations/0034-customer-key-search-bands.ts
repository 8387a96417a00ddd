import { sql, type Kysely } from 'kysely';

/**
 * The trigram search of conflict detection (conflicts.repository.ts, matchCustomer) costs half the
 * PostgreSQL CPU it did, with the same keys found. Measured on the bench's names at scale 1 (200k
 * distinct keys, bench engagement.registration-load's generator), 3000 query names (half new, half
 * variants of stored names), backend CPU from /proc in one process, alternating: 9.0 ms a search
 * before, 4.4 ms after; the keys found were identical for every query, and identical to a
 * brute-force similarity() pass over every key.
 *
 * Why it was slow: pg_trgm's index test for `%` knows only c, the query trigrams a key has, and n,
 * the query's trigram count: it keeps a key when c / n >= the threshold t, since the similarity
 * c / (n + m - c) can be no higher whatever the key's own trigram count m is. With ~16 trigrams a
 * name, every key sharing one industry word ("energy": 7 trigrams) passes, and the search visited
 * the posting lists of half the query's trigrams and rechecked ~900 keys to keep ~10.
 *
 * What it does now: a key with m trigrams can only be similar enough when
 * c >= t (n + m) / (1 + t), so for the keys whose m lies in a band [a, b] the index may ask for
 * c / n >= t (n + a) / ((1 + t) n), which is well above t for any a near n. The keys are split into
 * bands of m (the stored trigram_count) with one partial index each, and
 * realign_similar_customer_keys searches each band the query can match with that band's bound,
 * then keeps exactly the keys `%` keeps (the recheck is pg_trgm's own similarity_op at the caller's
 * threshold). A higher bound means fewer posting lists to walk and far fewer keys to recheck.
 *
 * The bound has to reach the index's consistent function, and pg_trgm's reads it from a setting:
 * the operator `%%` below is `%` (the same function, so the same recheck and the same leakproof
 * mark of migration 0006) in an operator class that gives it pg_trgm's word-similarity strategy,
 * whose index test is the same c / n >= limit with the limit taken from
 * pg_trgm.word_similarity_threshold. The function sets that limit before each band's statement
 * (it is restored when the function returns) and never uses word similarity itself. Bounds are
 * rounded down with room to spare for float4 arithmetic: a band may return a key too many for the
 * recheck, never one too few.
 *
 * CREATE OPERATOR CLASS needs a superuser, as the leakproof marks of 0006 do (without them no index
 * is used under row-level security at all). Without one, the function is the plain `%` search it
 * replaces.
 */

/** Upper bounds of the bands of trigram counts (the last band is open): the bench's keys have 4 to 30. */
const bandUppers = [9, 12, 14, 16, 18, 20, 23];

function bands(): { lo: number; hi: number; i: number }[] {
  const out: { lo: number; hi: number; i: number }[] = [];
  let lo = 0;
  for (const [i, hi] of [...bandUppers, 1_000_000].entries()) {
    out.push({ lo, hi, i });
    lo = hi + 1;
  }
  return out;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const indexes = bands()
    .map(
      (b) =>
        `create index customer_match_key_band${b.i}_idx on customer_match_key using gin (match_key realign_trgm_band_ops) with (fastupdate = off)
        where trigram_count between ${b.lo} and ${b.hi};`,
    )
    .join('\n      ');
  const searches = bands()
    .map(
      (b) => `if ${b.lo} <= hi and ${b.hi} >= lo then
        c := greatest(1, ceil(t * (n + greatest(${b.lo}, lo)) / (1 + t) - 1e-3));
        if c <= n then
          perform set_config('pg_trgm.word_similarity_threshold', ((c - 0.5) / n)::text, true);
          return query select match_key from customer_match_key where trigram_count between ${b.lo} and ${b.hi} and match_key %% key;
        end if;
      end if;`,
    )
    .join('\n      ');
  await sql
    .raw(
      String.raw`
-- pg_trgm's trigram count of the key (show_trgm lists the same distinct trigrams its index and
-- similarity() use).
alter table customer_match_key add column trigram_count int not null
  generated always as (coalesce(array_length(show_trgm(match_key), 1), 0)) stored;

do $do$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    create operator %% (leftarg = text, rightarg = text, function = similarity_op, restrict = matchingsel, join = matchingjoinsel);
    create operator class realign_trgm_band_ops for type text using gin as
      operator 7 %% (text, text),
      function 1 btint4cmp(int4, int4),
      function 2 gin_extract_value_trgm(text, internal),
      function 3 gin_extract_query_trgm(text, internal, int2, internal, internal, internal, internal),
      function 4 gin_trgm_consistent(internal, int2, text, int4, internal, internal, internal, internal),
      function 6 gin_trgm_triconsistent(internal, int2, text, int4, internal, internal, internal),
      storage int4;
      ${indexes}
    drop index customer_match_key_trgm_idx;

    -- Generic plans: a custom plan would run the operator over the column's statistics to estimate
    -- each band, which costs more than the search. word_similarity_threshold is put back on return.
    create function realign_similar_customer_keys(key text) returns setof text
      language plpgsql volatile
      set pg_trgm.word_similarity_threshold = 0.6 set plan_cache_mode = force_generic_plan as $f$
    declare
      t float8 := current_setting('pg_trgm.similarity_threshold')::float8;
      n int := coalesce(array_length(show_trgm(key), 1), 0);
      lo int;
      hi int;
      c int;
    begin
      if n = 0 or t <= 0 then
        return query select match_key from customer_match_key where match_key % key;
        return;
      end if;
      -- similarity >= t needs t n <= m <= n / t (c is at most n and at most m).
      lo := ceil(t * n - 1e-3);
      hi := floor(n / t + 1e-3);
      ${searches}
    end $f$;
  else
    create function realign_similar_customer_keys(key text) returns setof text
      language sql stable as $f$ select match_key from customer_match_key where match_key % key $f$;
  end if;
end $do$;

grant execute on function realign_similar_customer_keys(text) to realign_app;
analyze customer_match_key;
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the customer key search migration cannot be reverted; restore a backup instead');
}
