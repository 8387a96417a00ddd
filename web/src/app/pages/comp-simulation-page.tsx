import { Alert, Anchor, Badge, Group, Paper, Skeleton, Table, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import type { SimulationView } from '../../../../common/api/comp-simulation.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { usePlans } from '../../features/comp-plans/api/list-plans.ts';
import { useCreateSimulation } from '../../features/comp-simulation/api/create-simulation.ts';
import { useSimulation } from '../../features/comp-simulation/api/get-simulation.ts';
import { useSimulations } from '../../features/comp-simulation/api/list-simulations.ts';
import { DistributionChart } from '../../features/comp-simulation/components/distribution-chart.tsx';
import { NeutralityView } from '../../features/comp-simulation/components/neutrality-view.tsx';
import { ParticipantsTable } from '../../features/comp-simulation/components/participants-table.tsx';
import { PlanTotals } from '../../features/comp-simulation/components/plan-totals.tsx';
import { SimulationForm } from '../../features/comp-simulation/components/simulation-form.tsx';
import { canSimulate } from '../../features/comp-simulation/simulation-format.ts';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { formatDate, formatDateTime, formatInteger } from '../../lib/format.ts';

const crumbs = [{ label: 'Comp plans', to: '/comp-plans' }, { label: 'Simulation' }];

function versionsText(s: Pick<SimulationView, 'versions'>): string {
  return s.versions.map((v, i) => `${i === 0 ? '' : i === 1 ? ' vs ' : ', '}${v.planName} v${v.version}`).join('');
}

function SimulationResultView({ simulation }: { simulation: SimulationView }) {
  const r = simulation.result;
  return (
    <section aria-labelledby="result-title">
      <Paper withBorder radius="md" p="md" mb="md">
        <Title id="result-title" order={2} fz="lg" mb={4}>
          {versionsText(simulation)}
        </Title>
        <Text fz="sm" c="dimmed">
          {simulation.period}: {formatDate(r.period.start)} to {formatDate(r.period.end)} (exclusive) · {formatInteger(simulation.transactionCount)}{' '}
          transactions · {formatInteger(simulation.participantCount)} participants · amounts in {r.currency} · run {formatDateTime(simulation.createdAt)}
          {simulation.createdByName ? ` by ${simulation.createdByName}` : ''}
        </Text>
        <Group gap="xs" mt="xs">
          {simulation.versions.map((v, i) => (
            <Badge key={v.versionId} variant={i === 0 ? 'outline' : 'light'} color={i === 0 ? 'gray' : 'realign'}>
              {i === 0 ? 'Baseline: ' : 'Candidate: '}
              {v.planKey} v{v.version} ({v.status.replace('_', ' ')})
            </Badge>
          ))}
        </Group>
        {r.notes.length > 0 && (
          <Alert variant="light" color="blue" mt="sm" title="Notes">
            {r.notes.map((n) => (
              <Text key={n} fz="sm">
                {n}
              </Text>
            ))}
          </Alert>
        )}
      </Paper>
      <PlanTotals result={r} />
      <DistributionChart result={r} />
      <ParticipantsTable key={simulation.id} result={r} />
      <NeutralityView result={r} />
    </section>
  );
}

function PastSimulations({ current }: { current: string | null }) {
  const list = useSimulations({ limit: 10, offset: 0 });
  if (list.isPending) return <TableSkeleton />;
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="past-title">
      <Title id="past-title" order={2} fz="md" mb="xs">
        Recent simulations
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table fz="sm" aria-label="Recent simulations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Plans</Table.Th>
              <Table.Th scope="col">Period</Table.Th>
              <Table.Th scope="col" ta="right">
                Transactions
              </Table.Th>
              <Table.Th scope="col">Run</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.length === 0 ? (
              <EmptyRows colSpan={4}>No simulations yet.</EmptyRows>
            ) : (
              list.data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/comp-plans/simulation?id=${s.id}`} aria-current={s.id === current ? 'page' : undefined}>
                      {versionsText(s)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{s.period}</Table.Td>
                  <Table.Td ta="right">{formatInteger(s.transactionCount)}</Table.Td>
                  <Table.Td>
                    {formatDateTime(s.createdAt)}
                    {s.createdByName ? ` · ${s.createdByName}` : ''}
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** Simulate candidate plan versions against the current one on the stored transactions of a period. */
export function CompSimulationPage() {
  const { user } = useCurrentSession();
  const [params, setParams] = useSearchParams();
  const id = params.get('id');
  const allowed = canSimulate(user);
  const plans = usePlans({ limit: 200, offset: 0 });
  const run = useCreateSimulation();
  const simulation = useSimulation(allowed ? id : null);

  return (
    <>
      <PageHeader
        title="Plan simulation"
        description="Run candidate plans against the stored transactions of a period and compare them with the current plan: what everyone would earn, what it costs, and what it pays for partner business."
        crumbs={crumbs}
      />
      {!allowed ? (
        <Alert color="gray" variant="light">
          Compensation administrators, administrators and finance run plan simulations.
        </Alert>
      ) : (
        <>
          {plans.isPending ? (
            <Skeleton h={140} mb="md" />
          ) : plans.isError ? (
            <QueryError error={plans.error} onRetry={() => void plans.refetch()} />
          ) : (
            <SimulationForm
              plans={plans.data.items}
              pending={run.isPending}
              error={run.error}
              onRun={(request) => run.mutate(request, { onSuccess: (v) => setParams({ id: v.id }) })}
            />
          )}
          {id !== null &&
            (simulation.isPending ? (
              <Skeleton h={300} mb="md" />
            ) : simulation.isError ? (
              <QueryError error={simulation.error} onRetry={() => void simulation.refetch()} />
            ) : (
              <SimulationResultView simulation={simulation.data} />
            ))}
          <PastSimulations current={id} />
        </>
      )}
    </>
  );
}
