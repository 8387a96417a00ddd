import { sql, type Insertable, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Trx } from '../../db/scope.ts';
import type { RegistrationStatus } from './engagement.table.ts';

export async function findPublishedRuleSet(trx: Trx) {
  return trx.selectFrom('ruleSetVersion').select(['ruleSetVersionId', 'version', 'rules']).where('status', '=', 'published').executeTakeFirst();
}

export async function findRuleSetVersion(trx: Trx, ruleSetVersionId: string) {
  return trx.selectFrom('ruleSetVersion').select(['ruleSetVersionId', 'version', 'rules']).where('ruleSetVersionId', '=', ruleSetVersionId).executeTakeFirst();
}

export async function findScenarioByKey(trx: Trx, key: string) {
  return trx.selectFrom('scenario').select(['scenarioId', 'key', 'name', 'active']).where('key', '=', key).executeTakeFirst();
}

export async function findPartnerForRegistration(trx: Trx, partnerId: string) {
  return trx
    .selectFrom('partner')
    .select(['partnerId', 'name', 'tier', 'status', 'channelManagerUserId'])
    .where('partnerId', '=', partnerId)
    .executeTakeFirst();
}

/**
 * Everything a registration is checked against, in one statement under the caller's scope: the
 * scenario by key, the partner, and the published rule set's id and a digest of its content. The
 * content itself comes back only when the caller's cached copy (`cached`: id and digest) is not the
 * published one, so a process never serves a version other than the one in force.
 */
export async function findSubmissionContext(
  trx: Trx,
  input: { scenarioKey: string; partnerId: string; withRules: boolean; cached: { ruleSetVersionId: string; digest: string } | null },
) {
  const r = await sql<{
    scenarioId: string | null;
    scenarioKey: string | null;
    scenarioName: string | null;
    scenarioActive: boolean | null;
    partnerId: string | null;
    partnerName: string | null;
    partnerTier: string | null;
    partnerStatus: string | null;
    channelManagerUserId: string | null;
    ruleSetVersionId: string | null;
    rulesDigest: string | null;
    rules: unknown;
  }>`select s.scenario_id, s.key as scenario_key, s.name as scenario_name, s.active as scenario_active,
      p.partner_id, p.name as partner_name, p.tier as partner_tier, p.status as partner_status, p.channel_manager_user_id,
      v.rule_set_version_id, v.digest as rules_digest,
      case when v.rule_set_version_id = ${input.cached?.ruleSetVersionId ?? null}::uuid and v.digest = ${input.cached?.digest ?? null}::text
        then null else v.rules end as rules
    from (select 1) as one
    left join scenario s on s.key = ${input.scenarioKey}::text
    left join partner p on p.partner_id = ${input.partnerId}::uuid
    left join lateral (select rule_set_version_id, rules, md5(rules::text) as digest from rule_set_version
      where ${input.withRules}::boolean and status = 'published' limit 1) v on true`.execute(trx);
  const row = r.rows[0];
  if (!row) throw new Error('the submission context query returned no row');
  return {
    scenario: row.scenarioId
      ? { scenarioId: row.scenarioId, key: row.scenarioKey as string, name: row.scenarioName as string, active: row.scenarioActive === true }
      : null,
    partner: row.partnerId
      ? {
          partnerId: row.partnerId,
          name: row.partnerName as string,
          tier: row.partnerTier as Selectable<DB['partner']>['tier'],
          status: row.partnerStatus as Selectable<DB['partner']>['status'],
          channelManagerUserId: row.channelManagerUserId,
        }
      : null,
    ruleSet: row.ruleSetVersionId ? { ruleSetVersionId: row.ruleSetVersionId, digest: row.rulesDigest as string, rules: row.rules } : null,
  };
}

/** The columns of registration_event a statement here writes, as values (pg infers their types from the columns). */
function eventValues(e: Insertable<DB['registrationEvent']>) {
  return sql`(${e.registrationEventId}, ${e.dealRegistrationId}, ${e.partnerId}, ${e.at}, ${e.actorUserId ?? null}, ${e.actorLabel}, ${e.kind},
    ${e.fromStatus ?? null}, ${e.toStatus ?? null}, ${e.note ?? null}, ${e.internalOnly ?? false})`;
}

const eventColumns = sql`registration_event (registration_event_id, deal_registration_id, partner_id, at, actor_user_id, actor_label, kind, from_status, to_status, note, internal_only)`;

/** A new registration reference, REG- and at least six digits, drawn from its sequence (an SQL expression). */
export const nextReference = sql<string>`(select 'REG-' || lpad(n::text, greatest(6, length(n::text)), '0') from (select nextval('deal_registration_reference_seq') as n) s)`;

/**
 * Inserts a registration and its first event in one statement; the reference number is drawn from
 * the sequence inside the statement (REG- and at least six digits) and returned. Written out rather
 * than built: every submission runs it, and building a 37-column insert cost more CPU than sending
 * it (bench engagement.registration-load).
 */
export async function insertRegistrationWithEvent(
  trx: Trx,
  row: Omit<Selectable<DB['dealRegistration']>, 'reference'>,
  event: Insertable<DB['registrationEvent']>,
): Promise<string> {
  return insertWithEvents(trx, row, nextReference, [event]);
}

/**
 * Inserts a registration whose reference was drawn already (a submission at once: see asSystem's
 * drawReference) and its events, in the order given, in one statement.
 */
export async function insertRegistrationWithEvents(
  trx: Trx,
  row: Selectable<DB['dealRegistration']>,
  events: Insertable<DB['registrationEvent']>[],
): Promise<void> {
  if (events.length === 0) throw new Error('a registration is inserted with at least one event');
  await insertWithEvents(trx, row, sql`${row.reference}::text`, events);
}

async function insertWithEvents(
  trx: Trx,
  row: Omit<Selectable<DB['dealRegistration']>, 'reference'>,
  reference: RawBuilder<unknown>,
  events: Insertable<DB['registrationEvent']>[],
): Promise<string> {
  const r = await sql<{ reference: string }>`with reg as (insert into deal_registration (deal_registration_id, reference, partner_id, submitted_by_user_id,
      client_reference, status, source, scenario_id, product_line, region, end_customer_name, end_customer_normalised_name, end_customer_domain,
      end_customer_country, end_customer_tax_id, account_id, value_minor, currency, expected_close_on, description, rule_set_version_id, route_id,
      owning_unit, reviewer_user_id, escalation_user_id, submitted_at, sla_due_at, sla_breached_at, first_response_at, decided_at, decision_reason,
      protection_ends_on, extension_count, in_conflict, closed_at, request_fingerprint, created_at, updated_at)
    values (${row.dealRegistrationId}, ${reference},
      ${row.partnerId}, ${row.submittedByUserId}, ${row.clientReference}, ${row.status}, ${row.source}, ${row.scenarioId}, ${row.productLine}, ${row.region},
      ${row.endCustomerName}, ${row.endCustomerNormalisedName}, ${row.endCustomerDomain}, ${row.endCustomerCountry}, ${row.endCustomerTaxId}, ${row.accountId},
      ${row.valueMinor}, ${row.currency}, ${row.expectedCloseOn}, ${row.description}, ${row.ruleSetVersionId}, ${row.routeId}, ${row.owningUnit},
      ${row.reviewerUserId}, ${row.escalationUserId}, ${row.submittedAt}, ${row.slaDueAt}, ${row.slaBreachedAt}, ${row.firstResponseAt}, ${row.decidedAt},
      ${row.decisionReason}, ${row.protectionEndsOn}, ${row.extensionCount}, ${row.inConflict}, ${row.closedAt}, ${row.requestFingerprint},
      ${row.createdAt}, ${row.updatedAt})
    returning reference)
    insert into ${eventColumns} values ${sql.join(events.map(eventValues))}
    returning (select reference from reg) as reference`.execute(trx);
  const inserted = r.rows[0];
  if (!inserted) throw new Error('the registration insert returned no reference');
  return inserted.reference;
}

/** What a submission writes onto its draft; the last three only when it is approved at once. */
export type SubmissionPatch = Pick<
  Selectable<DB['dealRegistration']>,
  | 'status'
  | 'submittedAt'
  | 'submittedByUserId'
  | 'ruleSetVersionId'
  | 'routeId'
  | 'owningUnit'
  | 'reviewerUserId'
  | 'escalationUserId'
  | 'accountId'
  | 'slaDueAt'
  | 'updatedAt'
> &
  Partial<Pick<Selectable<DB['dealRegistration']>, 'firstResponseAt' | 'decidedAt' | 'protectionEndsOn'>>;

/**
 * Writes a submission onto its draft and appends its events (in the order given) in one statement.
 * Written out rather than built, as insertRegistrationWithEvent.
 */
export async function submitRegistrationWithEvents(trx: Trx, id: string, patch: SubmissionPatch, events: Insertable<DB['registrationEvent']>[]): Promise<void> {
  if (events.length === 0) throw new Error('a submission appends at least one event');
  // A value left out of the patch leaves its column as it is (coalesce with the column).
  await sql`with updated as (update deal_registration set status = ${patch.status},
      submitted_at = ${patch.submittedAt}, submitted_by_user_id = ${patch.submittedByUserId}, rule_set_version_id = ${patch.ruleSetVersionId},
      route_id = ${patch.routeId}, owning_unit = ${patch.owningUnit}, reviewer_user_id = ${patch.reviewerUserId}, escalation_user_id = ${patch.escalationUserId},
      account_id = ${patch.accountId}, sla_due_at = ${patch.slaDueAt},
      first_response_at = coalesce(${patch.firstResponseAt ?? null}::timestamptz, first_response_at),
      decided_at = coalesce(${patch.decidedAt ?? null}::timestamptz, decided_at),
      protection_ends_on = coalesce(${patch.protectionEndsOn ?? null}::date, protection_ends_on),
      updated_at = ${patch.updatedAt}
      where deal_registration_id = ${id}::uuid returning deal_registration_id)
    insert into ${eventColumns} values ${sql.join(events.map(eventValues))}`.execute(trx);
}

export async function updateRegistration(trx: Trx, id: string, patch: Updateable<DB['dealRegistration']>): Promise<number> {
  const r = await trx.updateTable('dealRegistration').set(patch).where('dealRegistrationId', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Locks the row for the rest of the transaction: transitions on one registration are serialised. */
export async function lockRegistration(trx: Trx, id: string) {
  return trx.selectFrom('dealRegistration').selectAll().where('dealRegistrationId', '=', id).forUpdate().executeTakeFirst();
}
export type RegistrationRow = NonNullable<Awaited<ReturnType<typeof lockRegistration>>>;

function withNames(trx: Trx) {
  return trx
    .selectFrom('dealRegistration as r')
    .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
    .leftJoin('partner as p', 'p.partnerId', 'r.partnerId')
    .leftJoin('appUser as rv', 'rv.appUserId', 'r.reviewerUserId')
    .leftJoin('appUser as es', 'es.appUserId', 'r.escalationUserId')
    .leftJoin('appUser as sb', 'sb.appUserId', 'r.submittedByUserId')
    .selectAll('r')
    .select([
      's.key as scenarioKey',
      's.name as scenarioName',
      'p.name as partnerName',
      'rv.displayName as reviewerName',
      'es.displayName as escalationName',
      'sb.displayName as submittedByName',
    ])
    .select((eb) =>
      eb
        .selectFrom('registrationEvent as e')
        .select('e.kind')
        .whereRef('e.dealRegistrationId', '=', 'r.dealRegistrationId')
        .where('e.kind', 'in', ['extension_requested', 'extension_granted', 'extension_denied'])
        .orderBy('e.at', 'desc')
        .orderBy('e.seq', 'desc')
        .limit(1)
        .as('lastExtensionEvent'),
    );
}

export async function findRegistration(trx: Trx, id: string) {
  return withNames(trx).where('r.dealRegistrationId', '=', id).executeTakeFirst();
}
export type RegistrationDetailRow = NonNullable<Awaited<ReturnType<typeof findRegistration>>>;

export type EventRow = {
  registrationEventId: string;
  at: Date | string;
  kind: DB['registrationEvent']['kind'];
  actorLabel: string;
  fromStatus: RegistrationStatus | null;
  toStatus: RegistrationStatus | null;
  note: string | null;
  internalOnly: boolean;
};

/** findRegistration and listEvents in one statement (the events as a JSON array, in their order; keys already in camelCase). */
export async function findRegistrationWithEvents(trx: Trx, id: string, includeInternal: boolean) {
  return withNames(trx)
    .select(
      sql<EventRow[]>`(select coalesce(json_agg(json_build_object('registrationEventId', e.registration_event_id, 'at', e.at, 'kind', e.kind,
        'actorLabel', e.actor_label, 'fromStatus', e.from_status, 'toStatus', e.to_status, 'note', e.note, 'internalOnly', e.internal_only)
        order by e.at, e.seq), '[]'::json) from registration_event e
        where e.deal_registration_id = r.deal_registration_id and (${includeInternal}::boolean or e.internal_only = false))`.as('events'),
    )
    .where('r.dealRegistrationId', '=', id)
    .executeTakeFirst();
}

export async function findByClientReference(trx: Trx, partnerId: string, clientReference: string) {
  return trx
    .selectFrom('dealRegistration')
    .select(['dealRegistrationId', 'requestFingerprint'])
    .where('partnerId', '=', partnerId)
    .where('clientReference', '=', clientReference)
    .executeTakeFirst();
}

export async function findByClientReferences(trx: Trx, partnerId: string, refs: string[]) {
  if (refs.length === 0) return [];
  return trx
    .selectFrom('dealRegistration')
    .select(['dealRegistrationId', 'reference', 'clientReference', 'requestFingerprint'])
    .where('partnerId', '=', partnerId)
    .where('clientReference', 'in', refs)
    .execute();
}

export const openStatuses: readonly RegistrationStatus[] = ['submitted', 'under_review', 'more_info_requested'];

export type RegistrationFilter = {
  onlyPartnerId?: string | undefined;
  /** Internal users who are not channel staff see what is routed to them. */
  onlyRoutedToUserId?: string | undefined;
  q?: string | undefined;
  status?: RegistrationStatus | undefined;
  scenarioKey?: string | undefined;
  partnerId?: string | undefined;
  reviewerUserId?: string | undefined;
  unassignedOnly?: boolean;
  owningUnit?: string | undefined;
  overdueAt?: Date | undefined;
  open?: boolean | undefined;
  sort: 'created' | 'due';
  limit: number;
  offset: number;
};

export async function searchRegistrations(trx: Trx, f: RegistrationFilter) {
  let q = withNames(trx);
  let c = trx
    .selectFrom('dealRegistration as r')
    .innerJoin('scenario as s', 's.scenarioId', 'r.scenarioId')
    .select((eb) => eb.fn.countAll<string>().as('n'));
  // One filter function for both the page and the count keeps them in step.
  const apply = <T extends typeof q | typeof c>(x: T): T => {
    let y = x as typeof c;
    if (f.onlyPartnerId) y = y.where('r.partnerId', '=', f.onlyPartnerId);
    if (f.onlyRoutedToUserId) {
      const u = f.onlyRoutedToUserId;
      y = y.where((eb) => eb.or([eb('r.reviewerUserId', '=', u), eb('r.escalationUserId', '=', u)]));
    }
    if (f.q) {
      const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      y = y.where((eb) => eb.or([eb('r.reference', 'ilike', pattern), eb('r.endCustomerName', 'ilike', pattern)]));
    }
    if (f.status) y = y.where('r.status', '=', f.status);
    if (f.scenarioKey) y = y.where('s.key', '=', f.scenarioKey);
    if (f.partnerId) y = y.where('r.partnerId', '=', f.partnerId);
    if (f.reviewerUserId) y = y.where('r.reviewerUserId', '=', f.reviewerUserId);
    if (f.unassignedOnly) y = y.where('r.reviewerUserId', 'is', null);
    if (f.owningUnit) y = y.where('r.owningUnit', '=', f.owningUnit);
    if (f.open) y = y.where('r.status', 'in', openStatuses);
    if (f.overdueAt) {
      const now = f.overdueAt;
      y = y
        .where('r.status', 'in', openStatuses)
        .where('r.firstResponseAt', 'is', null)
        .where((eb) => eb.or([eb('r.slaBreachedAt', 'is not', null), eb('r.slaDueAt', '<', now)]));
    }
    return y as T;
  };
  q = apply(q);
  c = apply(c);
  const ordered =
    f.sort === 'due'
      ? q.orderBy(sql`r.sla_due_at asc nulls last`).orderBy('r.createdAt', 'desc')
      : q.orderBy('r.createdAt', 'desc').orderBy('r.dealRegistrationId');
  const [items, count] = await Promise.all([ordered.limit(f.limit).offset(f.offset).execute(), c.executeTakeFirstOrThrow()]);
  return { items, total: Number(count.n) };
}

export async function insertEvent(trx: Trx, row: Insertable<DB['registrationEvent']>): Promise<void> {
  await trx.insertInto('registrationEvent').values(row).execute();
}

export async function findManagerOf(trx: Trx, userId: string): Promise<string | null> {
  const r = await trx.selectFrom('appUser').select('managerUserId').where('appUserId', '=', userId).executeTakeFirst();
  return r?.managerUserId ?? null;
}

export async function activeChannelManagerIds(trx: Trx): Promise<string[]> {
  const rows = await trx
    .selectFrom('appUser')
    .select('appUserId')
    .where('status', '=', 'active')
    .where('partnerId', 'is', null)
    .where(sql<boolean>`'channel_manager' = any(roles)`)
    .orderBy('appUserId')
    .execute();
  return rows.map((r) => r.appUserId);
}

/** Unanswered registrations past their due instant and not yet flagged; skipped when another run holds them. */
export async function lockOverdueUnflagged(trx: Trx, now: Date, limit: number) {
  return trx
    .selectFrom('dealRegistration')
    .selectAll()
    .where('status', 'in', openStatuses)
    .where('firstResponseAt', 'is', null)
    .where('slaBreachedAt', 'is', null)
    .where('slaDueAt', '<', now)
    .orderBy('slaDueAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function lockProtectionExpired(trx: Trx, today: string, limit: number) {
  return trx
    .selectFrom('dealRegistration')
    .selectAll()
    .where('status', '=', 'approved')
    .where('protectionEndsOn', '<', today)
    .orderBy('protectionEndsOn')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
