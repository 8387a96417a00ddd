import { Anchor, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';
import { QueryError } from '../../../../components/ui/query-error.tsx';
import { formatDate } from '../../../../lib/format.ts';
import { useCurrentRules } from '../api/get-current-rules.ts';
import { usePlainRules } from '../api/get-plain-rules.ts';
import { useRuleVersions } from '../api/list-rule-versions.ts';
import { AcknowledgeButton } from './acknowledge-button.tsx';
import { PlainRules } from './plain-rules.tsx';
import { RuleChanges } from './rule-changes.tsx';
import { RuleStatusBadge } from './rule-status-badge.tsx';

/**
 * The rules of the road for the people who follow them: the version in force in plain language
 * with its "I have read and accept" button, earlier versions, and what changed. `?version=` shows
 * an earlier one.
 */
export function RulesReader() {
  const [params, setParams] = useSearchParams();
  const current = useCurrentRules();
  const versions = useRuleVersions();
  const published = (versions.data?.items ?? []).filter((v) => v.status !== 'draft');
  const chosenId = params.get('version') ?? current.data?.version?.id ?? null;
  const chosen = published.find((v) => v.id === chosenId) ?? (current.data?.version?.id === chosenId ? current.data?.version : undefined);
  const plain = usePlainRules(chosenId);
  const from = params.get('from');

  const setParam = (key: string, value: string | null) => {
    const p = new URLSearchParams(params);
    if (value) p.set(key, value);
    else p.delete(key);
    if (key === 'version') p.delete('from');
    setParams(p, { replace: true });
  };

  if (current.isPending || versions.isPending) return <Skeleton h={240} />;
  if (current.isError) return <QueryError error={current.error} onRetry={() => void current.refetch()} />;
  if (versions.isError) return <QueryError error={versions.error} onRetry={() => void versions.refetch()} />;
  if (!chosenId || !chosen) {
    return (
      <Paper withBorder p="xl" radius="md">
        <Text fz="sm">No rules of the road are in force yet. When the vendor publishes them you will find them here, and a notification will tell you.</Text>
      </Paper>
    );
  }

  return (
    <Stack gap="lg">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" align="flex-start" mb="sm">
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={2} fz="lg">
                Version {chosen.version}: {chosen.title}
              </Title>
              <RuleStatusBadge status={chosen.status} />
            </Group>
            <Text fz="sm" c="dimmed">
              {chosen.publishedAt ? `In force from ${formatDate(chosen.publishedAt)}` : ''}
              {chosen.retiredAt ? ` until ${formatDate(chosen.retiredAt)}` : ''}
            </Text>
          </Stack>
        </Group>
        <AcknowledgeButton version={chosen} />
        {chosen.status !== 'published' && current.data.version && (
          <Text fz="sm" mt="xs">
            This version is no longer in force.{' '}
            <Anchor component="button" type="button" fz="sm" onClick={() => setParam('version', null)}>
              Read the version in force
            </Anchor>
          </Text>
        )}
      </Paper>

      <Paper withBorder p="md" radius="md">
        {plain.isPending ? <Skeleton h={200} /> : plain.isError ? <QueryError error={plain.error} /> : <PlainRules sections={plain.data.sections} />}
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Title order={2} fz="md" mb="sm">
          What changed
        </Title>
        <RuleChanges versionId={chosen.id} versions={published} from={from} onFromChange={(id) => setParam('from', id)} />
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Title order={2} fz="md" mb="sm">
          All versions
        </Title>
        <Table aria-label="Versions of the rules of the road" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>In force from</Table.Th>
              <Table.Th>Retired</Table.Th>
              <Table.Th>You accepted</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {published.length === 0 && <EmptyRows colSpan={5}>No versions yet.</EmptyRows>}
            {published.map((v) => (
              <Table.Tr key={v.id} aria-current={v.id === chosen.id ? 'true' : undefined}>
                <Table.Td>
                  <Anchor component="button" type="button" fz="sm" onClick={() => setParam('version', v.id)}>
                    Version {v.version}: {v.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <RuleStatusBadge status={v.status} />
                </Table.Td>
                <Table.Td>{formatDate(v.publishedAt)}</Table.Td>
                <Table.Td>{formatDate(v.retiredAt)}</Table.Td>
                <Table.Td>{formatDate(v.myAcknowledgedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
