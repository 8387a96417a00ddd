import { sql, type RawBuilder } from 'kysely';
import type { SubjectKind } from '../../../common/scorecards/metric.ts';

/**
 * The `registrations` metric source (common/scorecards/metric.ts, catalogue): deal registrations of
 * the engagement area read in place, never copied, so a scorecard figure cannot drift from the
 * registration it counts. The metric compiler (metrics.repository.ts) takes this allow-list as it
 * takes its own: each catalogue field maps to one fragment written here.
 *
 * A registration is credited to its partner and to its reviewer: the comp participant linked to the
 * reviewing user (a seller or channel manager); registrations whose reviewer has no participant
 * count for the partner and the programme only.
 */

type Fragment = RawBuilder<unknown>;
type SubjectSql = { key: Fragment; join: Fragment; labelJoin: Fragment; label: Fragment };
export type DerivedSourceSql = { from: Fragment; fields: Record<string, Fragment>; subjects: Record<SubjectKind, SubjectSql>; currency: Fragment | null };

const none = sql``;
const reviewer = sql`join comp_participant s on s.app_user_id = r.reviewer_user_id`;
const participantLabel = { labelJoin: sql`left join comp_participant l on l.comp_participant_id = agg.subject_key`, label: sql`l.display_name` };
const keyLabel = { labelJoin: none, label: sql`agg.subject_key` };

export const registrationsSourceSql: DerivedSourceSql = {
  from: sql`deal_registration r join scenario sc on sc.scenario_id = r.scenario_id`,
  fields: {
    status: sql`r.status`,
    scenario: sql`sc.key`,
    renewal: sql`sc.is_renewal`,
    origin: sql`r.source`,
    partner_sourced: sql`(r.source <> 'vendor_offer')`,
    region: sql`r.region`,
    owning_unit: sql`r.owning_unit`,
    product_line: sql`r.product_line`,
    in_conflict: sql`r.in_conflict`,
    answered: sql`(r.first_response_at is not null)`,
    answered_within_sla: sql`(r.first_response_at is not null and (r.sla_due_at is null or r.first_response_at <= r.sla_due_at))`,
    sla_breached: sql`(r.sla_breached_at is not null)`,
    currency: sql`r.currency`,
    submitted_on: sql`((r.submitted_at at time zone 'UTC')::date)`,
    decided_on: sql`((r.decided_at at time zone 'UTC')::date)`,
    value: sql`r.value_minor`,
    response_hours: sql`(extract(epoch from (r.first_response_at - r.submitted_at)) / 3600.0)`,
    decision_days: sql`(extract(epoch from (r.decided_at - r.submitted_at)) / 86400.0)`,
  },
  subjects: {
    seller: { key: sql`s.comp_participant_id`, join: reviewer, ...participantLabel },
    manager: { key: sql`s.manager_participant_id`, join: reviewer, ...participantLabel },
    team: { key: sql`s.team`, join: reviewer, ...keyLabel },
    unit: { key: sql`s.unit`, join: reviewer, ...keyLabel },
    partner: { key: sql`r.partner_id`, join: none, labelJoin: sql`left join partner l on l.partner_id = agg.subject_key`, label: sql`l.name` },
    programme: { key: sql`'programme'::text`, join: none, labelJoin: none, label: sql`'Programme'` },
  },
  currency: sql`r.currency`,
};
