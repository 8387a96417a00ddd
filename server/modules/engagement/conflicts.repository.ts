import { sql, type Insertable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RuleSetContent } from '../../../common/api/rules.ts';
import type { Trx } from '../../db/scope.ts';
import { newId } from '../../lib/ids.ts';
import { nextReference } from './registrations.repository.ts';

/**
 * Conflict detection at submission, and the SQL behind conflict resolution and the heat map.
 *
 * Detection compares a registration with OTHER partners' registrations and with the vendor's
 * accounts, neither of which the submitting partner may see: row-level security hides them in the
 * partner's transaction. `asSystem` widens the database scope for the few statements below and
 * puts the caller's scope back afterwards; what comes out is a list of findings that only ever goes
 * to registration_conflict (internal) and to internal-only events, never to the partner.
 */

export type ConflictFinding = {
  kind: 'partner_vs_partner' | 'partner_vs_direct';
  otherRegistrationId: string | null;
  accountId: string | null;
  matchReason: 'domain' | 'tax_id' | 'name' | 'account';
  similarity: number | null;
};

export type CustomerKeys = { normalisedName: string; domain: string | null; taxId: string | null };

export type ConflictCandidate = {
  registrationId: string;
  partnerId: string;
  scenarioId: string;
  productLine: string | null;
  normalisedName: string;
  domain: string | null;
  taxId: string | null;
  accountId: string | null;
};

/** The statuses in which a registration still claims its customer (besides approved and protected). */
export const pendingStatuses = ['submitted', 'under_review', 'more_info_requested'] as const;

/** Most findings recorded for one submission; more than this says nothing new to the reviewer. */
const maxFindings = 20;

type SavedScope = { scope: string; userId: string; partnerId: string; similarityThreshold: string | null };

/** pg_trgm's default, for a transaction that had not set the threshold. */
const defaultSimilarityThreshold = '0.3';

async function setScope(trx: Trx, s: SavedScope): Promise<void> {
  await sql`select set_config('realign.scope', ${s.scope}, true), set_config('realign.user_id', ${s.userId}, true),
    set_config('realign.partner_id', ${s.partnerId}, true),
    case when ${s.similarityThreshold}::text is not null then set_config('pg_trgm.similarity_threshold', ${s.similarityThreshold}::text, true) end`.execute(
    trx,
  );
}

/**
 * Reads the caller's scope and switches to the system scope in ONE round trip (a submission widens
 * its scope several times, and each round trip costs a socket write and a wake-up of both processes on
 * a machine whose cores detection already keeps busy; bench engagement.registration-load). The materialized CTE
 * is evaluated before the outer select list, so the values read are the caller's. A caller already
 * in the system or internal scope is left as it is, as before. A similarity threshold, when given,
 * is set in the same round trip (and the caller's read, to be put back).
 */
async function widenToSystem(
  trx: Trx,
  similarityThreshold: string | null,
  lockKeys: CustomerKeys | null,
  drawReference: boolean,
): Promise<SavedScope & { reference: string | null }> {
  // The customer locks (see lockCustomerKeys), when asked for, are taken in the same round trip.
  const texts = lockKeys ? customerKeyTexts(lockKeys) : [];
  const r = await sql<
    Omit<SavedScope, 'similarityThreshold'> & { threshold: string | null; widened: string | null; locked: string; reference: string | null }
  >`with locks as materialized (select count(*) as n from (select pg_advisory_xact_lock(h)
        from (select distinct hashtextextended(k, 0) as h from unnest(${texts}::text[]) as k) s order by h) l),
    prev as materialized (select coalesce(current_setting('realign.scope', true), '') as scope,
      coalesce(current_setting('realign.user_id', true), '') as user_id,
      coalesce(current_setting('realign.partner_id', true), '') as partner_id,
      coalesce(nullif(current_setting('pg_trgm.similarity_threshold', true), ''), ${defaultSimilarityThreshold}) as threshold)
    select scope, user_id, partner_id, threshold, (select n from locks) as locked,
      case when scope in ('system', 'internal') then null
        else (set_config('realign.scope', 'system', true), set_config('realign.user_id', '', true), set_config('realign.partner_id', '', true))::text end as widened,
      case when ${similarityThreshold}::text is not null then set_config('pg_trgm.similarity_threshold', ${similarityThreshold}::text, true) end as threshold_set,
      case when ${drawReference}::boolean then ${nextReference} end as reference
    from prev`.execute(trx);
  const row = r.rows[0];
  if (!row) throw new Error('could not read the database scope');
  return {
    scope: row.scope,
    userId: row.userId,
    partnerId: row.partnerId,
    similarityThreshold: similarityThreshold === null ? null : row.threshold,
    reference: row.reference,
  };
}

/**
 * Runs `fn` with the system scope inside the caller's transaction and restores the caller's scope,
 * so the rest of a partner's use-case stays under the partner's row-level security. With
 * `similarityThreshold`, pg_trgm's `%` uses it inside `fn` and the caller's threshold is put back.
 * With `lockKeys`, the customer's advisory locks (lockCustomerKeys) are taken before `fn` runs, in
 * the same round trip as the widening. With `drawReference`, a registration reference (REG- and at
 * least six digits) is drawn from its sequence in that round trip too and handed to `fn`: a
 * registration submitted at once is written after detection, and its reviewers are told its
 * reference before that.
 */
export async function asSystem<T>(
  trx: Trx,
  fn: (drawn: { reference: string | null }) => Promise<T>,
  options: { similarityThreshold?: string; lockKeys?: CustomerKeys; drawReference?: boolean } = {},
): Promise<T> {
  const saved = await widenToSystem(trx, options.similarityThreshold ?? null, options.lockKeys ?? null, options.drawReference === true);
  const drawn = { reference: saved.reference };
  const widened = saved.scope !== 'system' && saved.scope !== 'internal';
  if (!widened && saved.similarityThreshold === null) return fn(drawn);
  let result: T;
  try {
    result = await fn(drawn);
  } catch (e) {
    // A failed statement aborts the transaction and with it the widened scope; a plain exception
    // must not leave the wider scope behind for the caller.
    await setScope(trx, saved).catch(() => undefined);
    throw e;
  }
  await setScope(trx, saved);
  return result;
}

/**
 * Serialises submissions on the same end customer: one transaction-scoped advisory lock per key
 * that is present, taken in ascending hash order so two submissions sharing several keys cannot
 * deadlock. Held until commit, so the second submission's detection sees the first one's row.
 */
export async function lockCustomerKeys(trx: Trx, keys: CustomerKeys): Promise<void> {
  const texts = customerKeyTexts(keys);
  if (texts.length === 0) return;
  // pg_advisory_xact_lock is volatile: PostgreSQL evaluates it after the sort, in hash order.
  await sql`select pg_advisory_xact_lock(h) from (select distinct hashtextextended(k, 0) as h from unnest(${texts}::text[]) as k) s order by h`.execute(trx);
}

function customerKeyTexts(keys: CustomerKeys): string[] {
  const texts: string[] = [];
  if (keys.normalisedName !== '') texts.push(`customer:name:${keys.normalisedName}`);
  if (keys.domain) texts.push(`customer:domain:${keys.domain.toLowerCase()}`);
  if (keys.taxId) texts.push(`customer:tax:${keys.taxId}`);
  return texts;
}

type MatchRow = {
  side: 'registration' | 'account' | 'named_account';
  id: string;
  reason: 'domain' | 'tax_id' | 'account' | 'name';
  similarity: number | null;
  ownershipKind: 'direct' | 'channel' | 'shared' | null;
};

/**
 * Finds what the candidate registration conflicts with. The same statements run whatever they
 * find and whatever the policy says, so the response time of a submission does not tell a partner
 * whether someone else claimed the customer.
 */
export async function detectConflicts(trx: Trx, candidate: ConflictCandidate, policy: RuleSetContent['conflicts'], today: string): Promise<ConflictFinding[]> {
  return asSystem(trx, () => findConflicts(trx, candidate, policy, today), { similarityThreshold: similarityThresholdOf(policy) });
}

/** The pg_trgm threshold findConflicts needs set (asSystem's option). */
export function similarityThresholdOf(policy: RuleSetContent['conflicts']): string {
  return String(policy.nameSimilarity);
}

/**
 * detectConflicts for a caller already inside `asSystem(trx, fn, { similarityThreshold:
 * similarityThresholdOf(policy) })`, so a submission widens its scope once for everything it reads
 * outside the partner's view.
 */
export async function findConflicts(trx: Trx, candidate: ConflictCandidate, policy: RuleSetContent['conflicts'], today: string): Promise<ConflictFinding[]> {
  return (await matchCustomer(trx, candidate, false, policy, today)).findings;
}

/**
 * findConflicts for a submission that has not looked its account up yet: the vendor's account is
 * found by domain or tax id (the oldest match, as findAccountByKeys did) in the same statement as
 * the detection, which then matches on it. Same caller contract as findConflicts (inside asSystem).
 */
export async function findAccountAndConflicts(
  trx: Trx,
  candidate: Omit<ConflictCandidate, 'accountId'>,
  policy: RuleSetContent['conflicts'],
  today: string,
): Promise<{ accountId: string | null; findings: ConflictFinding[] }> {
  return matchCustomer(trx, { ...candidate, accountId: null }, true, policy, today);
}

async function matchCustomer(
  trx: Trx,
  candidate: ConflictCandidate,
  lookupAccount: boolean,
  policy: RuleSetContent['conflicts'],
  today: string,
): Promise<{ accountId: string | null; findings: ConflictFinding[] }> {
  const domain = candidate.domain?.toLowerCase() ?? null;
  const name = candidate.normalisedName;
  const taxId = candidate.taxId;
  // Names compare on their match keys (migration 0006). `%` is similarity() >= the threshold the
  // caller set. The trigram search runs once, over the distinct keys (migration 0010), by
  // realign_similar_customer_keys (the keys `%` finds, searched by bands of trigram count: 0034); a row whose
  // key is one of those found is exactly a row `%` would find, and is reached by equality on a
  // btree index (a BitmapOr with the domain, tax id and account arms). Every condition that reaches
  // an index is leakproof so the planner may use it under row-level security. One statement for
  // both sides and, for a submission, the account lookup: each round trip wakes both processes up.
  // The account lookup is plain equality on domain (stored in lower case) and tax id, so it uses
  // account_domain_idx under row-level security (see findAccountByKeys).
  const { rows } = await sql<MatchRow>`
      with q as materialized (select realign_customer_match_key(${name}::text) as key),
      acct as materialized (select coalesce(${candidate.accountId}::uuid,
          case when ${lookupAccount}::boolean and (${domain}::text is not null or ${taxId}::text is not null) then
            (select a.account_id from account a where a.domain = ${domain}::text or a.tax_id = ${taxId}::text
              order by a.created_at, a.account_id limit 1) end) as id),
      k as materialized (select array(select distinct s.key from q, realign_similar_customer_keys(q.key) as s(key)) as keys)
      (select 'registration' as side, r.deal_registration_id as id,
        case when r.end_customer_domain = ${domain} then 'domain'
             when r.end_customer_tax_id = ${taxId} then 'tax_id'
             when r.account_id = (select id from acct) then 'account'
             else 'name' end as reason,
        similarity(r.end_customer_match_key, q.key) as similarity,
        null as ownership_kind
      from deal_registration r cross join q
      where r.deal_registration_id <> ${candidate.registrationId}::uuid
        and r.partner_id <> ${candidate.partnerId}::uuid
        and r.scenario_id = ${candidate.scenarioId}::uuid
        and (${candidate.productLine}::text is null or r.product_line is null or r.product_line = ${candidate.productLine}::text)
        -- Redundant with the next line, and what lets the planner use the index of claiming rows
        -- (migration 0010) once, rather than once per arm of the OR below.
        and r.status in ('submitted', 'under_review', 'more_info_requested', 'approved')
        and (r.status in ('submitted', 'under_review', 'more_info_requested') or (r.status = 'approved' and r.protection_ends_on >= ${today}::date))
        and (r.end_customer_domain = ${domain}
          or r.end_customer_tax_id = ${taxId}
          or r.account_id = (select id from acct)
          or r.end_customer_match_key = any((select keys from k)::text[]))
      order by r.submitted_at nulls last, r.deal_registration_id
      limit ${maxFindings})
      union all
      (select 'account', a.account_id,
        case when a.account_id = (select id from acct) then 'account'
             when a.domain = ${domain} then 'domain'
             when a.tax_id = ${taxId} then 'tax_id'
             else 'name' end,
        similarity(realign_customer_match_key(a.normalised_name), q.key),
        o.kind
      from account a cross join q
      left join account_ownership o on o.account_id = a.account_id and o.starts_on <= ${today}::date
        and (o.ends_on is null or o.ends_on > ${today}::date)
      where a.account_id = (select id from acct)
        or a.domain = ${domain}
        or a.tax_id = ${taxId}
        or realign_customer_match_key(a.normalised_name) = any((select keys from k)::text[])
      order by similarity(realign_customer_match_key(a.normalised_name), q.key) desc, a.account_id
      limit ${maxFindings})
      union all
      (select 'named_account', id, 'account', null, null from acct where id is not null)`.execute(trx);

  const accountId = rows.find((r) => r.side === 'named_account')?.id ?? null;
  const findings: ConflictFinding[] = rows
    .filter((r) => r.side === 'registration')
    .map((r) => ({
      kind: 'partner_vs_partner',
      otherRegistrationId: r.id,
      accountId: null,
      matchReason: r.reason,
      similarity: r.reason === 'name' ? r.similarity : null,
    }));
  const accounts = rows.filter((r) => r.side === 'account');
  // The account the registration names decides; only without one do matches by key count.
  const matched = accountId ? accounts.filter((a) => a.id === accountId) : accounts;
  if (policy.directOwnedAccounts !== 'shared') {
    for (const a of matched) {
      if (a.ownershipKind !== 'direct') continue;
      findings.push({
        kind: 'partner_vs_direct',
        otherRegistrationId: null,
        accountId: a.id,
        matchReason: a.reason,
        similarity: a.reason === 'name' ? a.similarity : null,
      });
    }
  }
  return { accountId, findings };
}

/**
 * Records the findings of one submission: one open registration_conflict row each, the
 * registration marked in_conflict (internal), and one internal-only `conflict_detected` event. Runs
 * the same statements when there is nothing to record. Callers do not write these themselves.
 */
export async function recordConflicts(trx: Trx, registrationId: string, findings: ConflictFinding[]): Promise<void> {
  await asSystem(trx, () => recordConflictsInSystemScope(trx, registrationId, findings));
}

/**
 * recordConflicts for a caller already inside `asSystem` (a submission records its findings in the
 * window it detected them in). `at`, when given, is the submission instant the row is about to
 * carry (the conflict rows and the event are dated with it); otherwise the row's own submitted_at.
 */
export async function recordConflictsInSystemScope(
  trx: Trx,
  registrationId: string,
  findings: ConflictFinding[],
  at: Date | null = null,
  options: { channelManagerIds?: boolean } = {},
): Promise<string[]> {
  const rows = conflictRows(findings);
  const summary = findingsSummary(findings);
  // One statement (data-modifying CTEs) rather than three round trips. `r` reads the row as it was
  // before the statement, which is all it needs: the update touches in_conflict only. With
  // `channelManagerIds`, the active channel managers' ids come back too (a submission with no one
  // else to tell notifies them), in the order activeChannelManagerIds gives.
  const result = await sql<{ channelManagerIds: string[] | null }>`
      with r as (select deal_registration_id, partner_id, coalesce(${at}::timestamptz, submitted_at, updated_at) as at
        from deal_registration where deal_registration_id = ${registrationId}::uuid),
      conflicts as (
        insert into registration_conflict (registration_conflict_id, deal_registration_id, other_registration_id, account_id, kind, match_reason, similarity, status, created_at)
        select x.id, r.deal_registration_id, x.other, x.account, x.kind, x.reason, x.similarity, 'open', r.at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, kind text, other uuid, account uuid, reason text, similarity real)
        cross join r
        returning 1),
      flagged as (
        update deal_registration set in_conflict = true
        where deal_registration_id = ${registrationId}::uuid and ${findings.length}::int > 0
        returning 1),
      event as (
        insert into registration_event (registration_event_id, deal_registration_id, partner_id, at, actor_user_id, actor_label, kind, from_status, to_status, note, internal_only)
        select ${newId()}::uuid, r.deal_registration_id, r.partner_id, r.at, null, 'conflict detection',
          'conflict_detected', null, null, ${summary}, true
        from r where ${findings.length}::int > 0
        returning 1)
      select (select count(*) from conflicts) as conflicts, (select count(*) from flagged) as flagged, (select count(*) from event) as events,
        case when ${options.channelManagerIds === true}::boolean then array(select u.app_user_id::text from app_user u
          where u.status = 'active' and u.partner_id is null and 'channel_manager' = any(u.roles) order by u.app_user_id) end as channel_manager_ids`.execute(
    trx,
  );
  return result.rows[0]?.channelManagerIds ?? [];
}

function findingsSummary(findings: ConflictFinding[]): string {
  return findings.length === 0
    ? ''
    : `Possible conflict: ${findings.filter((f) => f.kind === 'partner_vs_partner').length} other partner registration(s), ${findings.filter((f) => f.kind === 'partner_vs_direct').length} direct-owned account(s).`;
}

function conflictRows(findings: ConflictFinding[]) {
  return findings.map((f) => ({
    id: newId(),
    kind: f.kind,
    other: f.otherRegistrationId,
    account: f.accountId,
    reason: f.matchReason,
    similarity: f.similarity,
  }));
}

/**
 * recordConflictsInSystemScope for a registration submitted at once, whose row is inserted after
 * detection, later in this transaction (registration_conflict's reference to it is checked at
 * commit, migration 0031): the conflict rows only, dated `at`. The row is inserted with in_conflict
 * already set and with conflictDetectedEvent among its events. Runs the same statement when there
 * is nothing to record.
 */
export async function recordConflictsBeforeRow(
  trx: Trx,
  registrationId: string,
  findings: ConflictFinding[],
  at: Date,
  options: { channelManagerIds?: boolean } = {},
): Promise<string[]> {
  const result = await sql<{ channelManagerIds: string[] | null }>`
      with conflicts as (
        insert into registration_conflict (registration_conflict_id, deal_registration_id, other_registration_id, account_id, kind, match_reason, similarity, status, created_at)
        select x.id, ${registrationId}::uuid, x.other, x.account, x.kind, x.reason, x.similarity, 'open', ${at}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(conflictRows(findings))}::jsonb) as x(id uuid, kind text, other uuid, account uuid, reason text, similarity real)
        returning 1)
      select (select count(*) from conflicts) as conflicts,
        array(select u.app_user_id::text from app_user u
          where u.status = 'active' and u.partner_id is null and 'channel_manager' = any(u.roles) order by u.app_user_id) as channel_manager_ids`.execute(trx);
  // Read whether asked for or not: one text whatever detection found, and no parameter for the
  // planner to fold, so a generic plan can serve every submission instead of planning each one.
  return options.channelManagerIds === true ? (result.rows[0]?.channelManagerIds ?? []) : [];
}

/** The internal-only event recordConflictsInSystemScope appends when there are findings, for recordConflictsBeforeRow's caller to insert with the row. */
export function conflictDetectedEvent(
  registrationId: string,
  partnerId: string,
  at: Date,
  findings: ConflictFinding[],
): Insertable<DB['registrationEvent']> | null {
  if (findings.length === 0) return null;
  return {
    registrationEventId: newId(),
    dealRegistrationId: registrationId,
    partnerId,
    at,
    actorUserId: null,
    actorLabel: 'conflict detection',
    kind: 'conflict_detected',
    fromStatus: null,
    toStatus: null,
    note: findingsSummary(findings),
    internalOnly: true,
  };
}

/**
 * The name test of detection on its own, for many pairs in one statement: the same key function,
 * operator and threshold as detectConflicts. Used by the quality fixture (test and benchmark).
 */
export async function compareNames(trx: Trx, pairs: readonly { a: string; b: string }[], threshold: number): Promise<{ similarity: number; match: boolean }[]> {
  const a = pairs.map((p) => p.a);
  const b = pairs.map((p) => p.b);
  await sql`select set_config('pg_trgm.similarity_threshold', ${String(threshold)}, true)`.execute(trx);
  const r = await sql<{ similarity: number; match: boolean }>`
    select similarity(realign_customer_match_key(x), realign_customer_match_key(y)) as similarity,
      realign_customer_match_key(x) % realign_customer_match_key(y) as match
    from unnest(${a}::text[], ${b}::text[]) with ordinality as u(x, y, n) order by n`.execute(trx);
  return r.rows;
}
