import { Button } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Role } from '../../../../common/roles.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { conflictsQueryOptions } from '../../features/engagement/conflicts/api/list-conflicts.ts';
import { useRegistrationSummary } from '../../features/engagement/overview/api/get-registration-summary.ts';
import { SectionLinks } from '../../features/engagement/overview/components/section-links.tsx';
import { StatCards, type Stat } from '../../features/engagement/overview/components/stat-cards.tsx';
import { StatusByScenario } from '../../features/engagement/overview/components/status-by-scenario.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { formatDate } from '../../lib/format.ts';
import { findArea, sectionsFor } from '../areas.ts';

const conflictRoles: readonly Role[] = ['admin', 'programme_lead', 'channel_manager'];

/** The engagement area's landing page for vendor staff: what waits, what is late, and where to go. */
export function EngagementPage() {
  const { user } = useCurrentSession();
  const summary = useRegistrationSummary();
  const seesConflicts = user.roles.some((r) => conflictRoles.includes(r));
  // Only channel staff may list conflicts: nobody else asks.
  const conflicts = useQuery({ ...conflictsQueryOptions({ status: 'open', limit: 1, offset: 0 }), enabled: seesConflicts });
  const area = findArea(user.roles, 'engagement');
  const sections = area ? sectionsFor(area, user.roles) : [];
  const s = summary.data;
  const stats: Stat[] = [
    {
      label: 'Awaiting first response',
      value: s?.awaitingFirstResponse ?? null,
      hint: 'Registrations nobody has answered yet',
      to: '/engagement/review-queue',
    },
    { label: 'Overdue', value: s?.overdue ?? null, hint: 'Past the SLA for a first answer', to: '/engagement/review-queue?overdue=1', alarm: true },
    { label: 'My queue', value: s?.myQueue ?? null, hint: 'Open registrations you review', to: '/engagement/review-queue?queue=mine' },
    ...(seesConflicts
      ? [
          {
            label: 'Open conflicts',
            value: conflicts.data?.total ?? null,
            hint: 'Claims on the same customer to resolve',
            to: '/engagement/conflicts',
            alarm: true,
          },
        ]
      : []),
    {
      label: 'Approved this month',
      value: s?.approvedThisMonth ?? null,
      hint: s ? `Since ${formatDate(s.monthStartsOn)}` : 'Since the first of the month',
      to: '/engagement/review-queue',
    },
  ];
  return (
    <>
      <PageHeader
        title="Engagement"
        description="Partner registrations across every scenario: what waits for an answer, what is late, and how each scenario is doing."
        actions={
          seesConflicts ? (
            <Button component={Link} to="/engagement/offers" variant="light">
              Push an offer
            </Button>
          ) : undefined
        }
      />
      {summary.isError ? (
        <QueryError error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <>
          <StatCards stats={stats} />
          {s ? <StatusByScenario summary={s} /> : <TableSkeleton />}
        </>
      )}
      <SectionLinks sections={sections} />
    </>
  );
}
