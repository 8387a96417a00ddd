import { Group, Paper, Select, Skeleton, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useRuns } from '../../features/commissions/api/runs.ts';
import { useStatement } from '../../features/commissions/api/statements.ts';
import { periodLabel } from '../../features/commissions/commissions-format.ts';
import { StatementDetail } from '../../features/commissions/components/statement-view.tsx';
import { EstimatePanel } from '../../features/commissions/components/estimate-panel.tsx';
import { useParticipant, useParticipants } from '../../features/comp-participants/api/participants.ts';

const crumbs = [{ label: 'Commissions', to: '/commissions' }, { label: 'Statements' }];

/** Any participant's statement of a completed run, for compensation administrators, finance and auditors. */
export function CommissionsStatementsPage() {
  const [params, setParams] = useSearchParams();
  const runs = useRuns({ limit: 100, offset: 0 });
  const completed = (runs.data?.items ?? []).filter((r) => r.status === 'completed');
  const runId = params.get('runId') ?? completed[0]?.id ?? null;
  const participantId = params.get('participantId');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const participants = useParticipants({ q: q || undefined, limit: 20, offset: 0 });
  const chosen = useParticipant(participantId);
  const statement = useStatement(
    { runId: runId ?? undefined, participantId: participantId ?? undefined },
    { enabled: runId !== null && participantId !== null },
  );

  const options = [...(participants.data?.items ?? [])];
  if (chosen.data && !options.some((p) => p.id === chosen.data.id)) options.unshift(chosen.data);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (runId && !next.get('runId')) next.set('runId', runId);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  return (
    <>
      <PageHeader
        title="Statements"
        description="A participant’s payouts in a run: quota, credit and attainment per period, every payout line with its explanation and the transactions behind it."
        crumbs={crumbs}
      />
      <Paper withBorder radius="md" p="md" mb="md">
        <Group align="flex-end" gap="sm">
          <Select
            label="Run"
            placeholder={runs.isPending ? 'Loading runs…' : 'No completed run'}
            data={completed.map((r) => ({ value: r.id, label: `${periodLabel(r.periodStart, r.periodEnd)} · ${new Date(r.createdAt).toLocaleString()}` }))}
            value={runId}
            onChange={(v) => set('runId', v)}
            allowDeselect={false}
            w={320}
            maw="100%"
          />
          <Select
            label="Participant"
            placeholder="Search by name or reference"
            searchable
            clearable
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options: o }) => o}
            data={options.map((p) => ({ value: p.id, label: `${p.displayName} (${p.externalRef})` }))}
            value={participantId}
            onChange={(v) => set('participantId', v)}
            nothingFoundMessage={participants.isFetching ? 'Searching…' : 'No participant found'}
            w={340}
            maw="100%"
          />
        </Group>
      </Paper>
      {runs.isError ? (
        <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
      ) : runId === null ? (
        !runs.isPending && <Text c="dimmed">No completed run yet: start one under Runs.</Text>
      ) : participantId === null ? (
        <Text c="dimmed">Choose a participant to see their statement.</Text>
      ) : statement.isPending ? (
        <Skeleton h={300} />
      ) : statement.isError ? (
        <QueryError error={statement.error} onRetry={() => void statement.refetch()} />
      ) : (
        <StatementDetail statement={statement.data} />
      )}
      {participantId !== null && <EstimatePanel key={participantId} participantId={participantId} participantName={chosen.data?.displayName} />}
    </>
  );
}
