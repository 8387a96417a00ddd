import { Paper, Select, Skeleton, Text } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useRuns } from '../../features/commissions/api/runs.ts';
import { useStatement } from '../../features/commissions/api/statements.ts';
import { periodLabel } from '../../features/commissions/commissions-format.ts';
import { StatementDetail } from '../../features/commissions/components/statement-view.tsx';
import { EstimatePanel } from '../../features/commissions/components/estimate-panel.tsx';
import { isApiError } from '../../lib/api-client.ts';

/** The signed-in participant's own statements (the API answers with their linked participant). */
export function MyStatementsPage() {
  const [params, setParams] = useSearchParams();
  const runs = useRuns({ limit: 100, offset: 0 });
  const completed = (runs.data?.items ?? []).filter((r) => r.status === 'completed');
  const runId = params.get('runId') ?? undefined;
  // No run chosen: the API answers with the latest completed run.
  const statement = useStatement({ runId });

  return (
    <>
      <PageHeader
        title="My statements"
        description="What you earned, period by period: your quota, credit and attainment, each payout line explained, and the deals behind it."
      />
      {completed.length > 1 && (
        <Paper withBorder radius="md" p="md" mb="md">
          <Select
            label="Run"
            data={completed.map((r) => ({ value: r.id, label: `${periodLabel(r.periodStart, r.periodEnd)} · ${new Date(r.createdAt).toLocaleString()}` }))}
            value={runId ?? statement.data?.runId ?? null}
            onChange={(v) => setParams(v ? { runId: v } : {})}
            allowDeselect={false}
            w={320}
            maw="100%"
          />
        </Paper>
      )}
      {statement.isPending ? (
        <Skeleton h={300} />
      ) : statement.isError ? (
        isApiError(statement.error) && statement.error.status === 404 ? (
          <Text c="dimmed">No statement yet: you appear here once a period run has calculated your pay.</Text>
        ) : (
          <QueryError error={statement.error} onRetry={() => void statement.refetch()} />
        )
      ) : (
        <StatementDetail statement={statement.data} />
      )}
      <EstimatePanel chooseParticipant />
    </>
  );
}
