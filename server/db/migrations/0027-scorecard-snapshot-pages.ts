import { sql, type Kysely } from 'kysely';

/**
 * Published scorecard snapshots read page by page without work per request (issue 6).
 *
 * A published snapshot never changes, so what a reader's page needs is derived once, when the
 * snapshot is taken:
 * - `position`: the row's place in rank order (rank, then label, then subject id), 1..n. A page
 *   without filters is the index range `position between offset + 1 and offset + limit`: 50 rows
 *   read whatever the snapshot's size and the offset, never a sort of all its rows.
 * - `subject_json`: the row as the API shows it (common/api/scorecard-results.ts
 *   scorecardSubjectRow), serialised once; a page splices the rows' text into the response.
 * - `status_counts` on the header: subjects per overall status, the total of a status filter.
 * Rows of snapshots taken before this migration are filled in here (published ones included: the
 * freeze trigger is off for this statement only; their figures do not change).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
select set_config('realign.scope', 'system', true);

alter table scorecard_snapshot_row add column position integer, add column subject_json text;
alter table scorecard_snapshot add column status_counts jsonb;

alter table scorecard_snapshot_row disable trigger scorecard_snapshot_row_frozen;
update scorecard_snapshot_row r set position = x.n,
  subject_json = json_build_object('subjectId', r.subject_id, 'label', r.label, 'parentId', r.parent_id, 'partnerId', r.partner_id,
    'rank', r.rank, 'score', r.score, 'status', r.status, 'cells', r.cells, 'trend', r.trend)::text
from (select scorecard_snapshot_id, subject_id,
        row_number() over (partition by scorecard_snapshot_id order by rank nulls last, label, subject_id) as n
      from scorecard_snapshot_row) x
where x.scorecard_snapshot_id = r.scorecard_snapshot_id and x.subject_id = r.subject_id;
alter table scorecard_snapshot_row enable trigger scorecard_snapshot_row_frozen;

alter table scorecard_snapshot disable trigger scorecard_snapshot_frozen;
update scorecard_snapshot s set status_counts = coalesce(
  (select jsonb_object_agg(status, n) from (select status, count(*) as n from scorecard_snapshot_row r
    where r.scorecard_snapshot_id = s.scorecard_snapshot_id group by status) c), '{}'::jsonb);
alter table scorecard_snapshot enable trigger scorecard_snapshot_frozen;

alter table scorecard_snapshot_row alter column position set not null, alter column subject_json set not null;
alter table scorecard_snapshot alter column status_counts set not null, alter column status_counts set default '{}'::jsonb;
-- Read whole on every page: kept out of line but not compressed, so a read is a copy, not a decompression.
alter table scorecard_snapshot_row alter column subject_json set storage external;

create unique index scorecard_snapshot_row_position_idx on scorecard_snapshot_row (scorecard_snapshot_id, position);
drop index scorecard_snapshot_row_page_idx;
`,
    )
    .execute(db);
}
