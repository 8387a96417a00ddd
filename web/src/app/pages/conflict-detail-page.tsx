import { Alert, Badge, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useConflict } from '../../features/engagement/conflicts/api/get-conflict.ts';
import { ageText, kindText, matchText, resolutionLabels } from '../../features/engagement/conflicts/components/conflict-format.ts';
import { ConflictSideBySide } from '../../features/engagement/conflicts/components/conflict-side-by-side.tsx';
import { ResolveConflictPanel } from '../../features/engagement/conflicts/components/resolve-conflict-panel.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { NotFoundPage } from './not-found-page.tsx';

function ConflictDetailView({ id }: { id: string }) {
  const conflict = useConflict(id);
  const crumbs = [{ label: 'Engagement' }, { label: 'Conflicts', to: '/engagement/conflicts' }, { label: 'Conflict' }];
  if (conflict.isPending) {
    return (
      <>
        <PageHeader title="Conflict" crumbs={crumbs} />
        <TableSkeleton />
      </>
    );
  }
  if (conflict.isError) {
    return (
      <>
        <PageHeader title="Conflict" crumbs={crumbs} />
        <QueryError error={conflict.error} onRetry={() => void conflict.refetch()} />
      </>
    );
  }
  const c = conflict.data;
  return (
    <>
      <PageHeader
        title={`Conflict on ${c.registration.endCustomerName}`}
        documentTitle="Conflict"
        crumbs={crumbs}
        description={`${kindText(c)} · ${c.registration.scenario.name} · found ${formatDateTime(c.createdAt)} (${ageText(c.ageDays)})`}
        badge={
          <Badge color={c.status === 'open' ? 'orange' : 'green'} variant="light">
            {c.status === 'open' ? 'Open' : 'Resolved'}
          </Badge>
        }
      />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Paper withBorder radius="md" p="md">
            <Title order={2} fz="md" mb="xs">
              Why this is a conflict
            </Title>
            <Text fz="sm">
              {matchText(c)}
              {c.matchReason === 'name' && c.similarity !== null ? ' between the end-customer names.' : '.'}{' '}
              {c.other
                ? 'Both registrations claim the same scenario for this customer while the other one is still open or protected.'
                : 'The customer is an account the direct team owns today.'}
            </Text>
          </Paper>
          <Paper withBorder radius="md" p="md">
            <Title order={2} fz="md" mb="xs">
              Conflict policy in force
            </Title>
            {c.ruleSet ? (
              <>
                <Text fz="xs" c="dimmed" mb={4}>
                  Rules of the road version {c.ruleSet.version} ({c.ruleSet.title}), under which the new registration was submitted.
                </Text>
                <List size="sm" spacing={2}>
                  {c.ruleSet.plain.map((s) => (
                    <List.Item key={s}>{s}</List.Item>
                  ))}
                </List>
              </>
            ) : (
              <Text fz="sm">The registration was not submitted under a rule set.</Text>
            )}
            {c.suggestion && (
              <Alert mt="sm" color="blue" variant="light" title="What the rules suggest">
                {c.suggestion}
              </Alert>
            )}
          </Paper>
        </SimpleGrid>
        <Paper withBorder radius="md" p="md">
          <Title order={2} fz="md" mb="xs">
            Side by side
          </Title>
          <ConflictSideBySide conflict={c} />
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={2} fz="md" mb="xs">
            Decision
          </Title>
          {c.status === 'open' ? (
            <ResolveConflictPanel conflict={c} />
          ) : (
            <Stack gap={4}>
              <Group gap="xs">
                <Text fz="sm" fw={600}>
                  {c.resolution ? resolutionLabels[c.resolution] : ''}
                </Text>
                <Text fz="sm" c="dimmed">
                  by {c.resolvedByName ?? 'someone'} on {formatDateTime(c.resolvedAt)}
                </Text>
              </Group>
              <Text fz="sm">{c.resolutionNote}</Text>
            </Stack>
          )}
        </Paper>
      </Stack>
    </>
  );
}

export function ConflictDetailPage() {
  const { conflictId } = useParams();
  if (!conflictId) return <NotFoundPage />;
  return <ConflictDetailView key={conflictId} id={conflictId} />;
}
