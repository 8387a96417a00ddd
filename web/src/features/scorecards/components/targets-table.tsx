import { ActionIcon, Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ScorecardTargetView, TargetSubjectKind } from '../../../../../common/api/scorecard-targets.ts';
import { formatMetricValue } from '../../../../../common/scorecards/format.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../components/ui/form-error.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useDeleteTarget } from '../api/target-mutations.ts';
import { TargetForm } from './target-form.tsx';
import { targetKindLabels, type TargetMetricRow } from './target-scope.ts';

type Scope = 'default' | TargetSubjectKind;

type Line = {
  key: string;
  row: TargetMetricRow;
  scope: Scope;
  subject: string;
  target: number;
  redFlag: number;
  note: string;
  stored: ScorecardTargetView | null;
};

const scopeOrder = (s: Scope) => (s === 'default' ? 0 : s === 'partner_tier' ? 1 : 2);

/** Every metric's default (from the definition), then its tier targets, then its subjects' own. */
function linesOf(rows: readonly TargetMetricRow[], stored: readonly ScorecardTargetView[]): Line[] {
  return rows.flatMap((row) => [
    {
      key: `default:${row.metric}`,
      row,
      scope: 'default' as const,
      subject: 'Every subject',
      target: row.target,
      redFlag: row.redFlag,
      note: '',
      stored: null,
    },
    ...stored
      .filter((t) => t.metric === row.metric)
      .map((t) => ({ key: t.id, row, scope: t.subjectKind, subject: t.subjectLabel, target: t.target, redFlag: t.redFlag, note: t.note, stored: t }))
      .sort((a, b) => scopeOrder(a.scope) - scopeOrder(b.scope) || a.scope.localeCompare(b.scope) || a.subject.localeCompare(b.subject)),
  ]);
}

function ScopeBadge({ scope }: { scope: Scope }) {
  if (scope === 'default')
    return (
      <Badge variant="light" color="gray">
        Scorecard default
      </Badge>
    );
  if (scope === 'partner_tier')
    return (
      <Badge variant="light" color="grape">
        Partner tier
      </Badge>
    );
  return <Badge variant="light">{targetKindLabels[scope]}</Badge>;
}

function DeleteTarget({ scorecard, line, onClose }: { scorecard: string; line: Line; onClose: () => void }) {
  const remove = useDeleteTarget(scorecard);
  return (
    <Stack gap="sm">
      <Text fz="sm">
        Remove the target of {line.subject} for {line.row.name}? The{' '}
        {line.scope === 'partner_tier' ? 'scorecard default' : 'tier target or the scorecard default'} applies again.
      </Text>
      <FormError error={remove.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Keep it
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => line.stored && remove.mutate(line.stored.id, { onSuccess: onClose })}>
          Remove target
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * A scorecard's targets per metric with their scope (the default from the definition, a partner
 * tier's, a subject's own), filtered by metric, scope and subject; edit and remove for those who
 * manage targets.
 */
export function TargetsTable({
  scorecard,
  rows,
  kinds,
  stored,
  manage,
}: {
  scorecard: string;
  rows: readonly TargetMetricRow[];
  kinds: readonly TargetSubjectKind[];
  stored: readonly ScorecardTargetView[];
  manage: boolean;
}) {
  const [metric, setMetric] = useState('');
  const [scope, setScope] = useState('');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Line | null>(null);
  const [deleting, setDeleting] = useState<Line | null>(null);
  const needle = q.trim().toLowerCase();
  const lines = linesOf(rows, stored).filter(
    (l) =>
      (metric === '' || l.row.metric === metric) &&
      (scope === '' || l.scope === scope) &&
      (needle === '' || l.subject.toLowerCase().includes(needle) || (l.stored?.subjectId.toLowerCase().includes(needle) ?? false)),
  );
  const columns = manage ? 8 : 7;
  const value = (n: number, r: TargetMetricRow) => formatMetricValue(n, r.unit, r.currency);
  return (
    <Stack gap="sm">
      <Group gap="md" align="flex-end" wrap="wrap">
        <NativeSelect
          label="Metric"
          value={metric}
          onChange={(e) => setMetric(e.currentTarget.value)}
          data={[{ value: '', label: 'All metrics' }, ...rows.map((r) => ({ value: r.metric, label: r.name }))]}
          w={220}
        />
        <NativeSelect
          label="Scope"
          value={scope}
          onChange={(e) => setScope(e.currentTarget.value)}
          data={[
            { value: '', label: 'All scopes' },
            { value: 'default', label: 'Scorecard default' },
            ...kinds.map((k) => ({ value: k, label: targetKindLabels[k] })),
          ]}
          w={200}
        />
        <TextInput label="Search subject" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={220} />
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover aria-label="Targets" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Metric</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>Red flag</Table.Th>
              <Table.Th>Note</Table.Th>
              <Table.Th>Updated</Table.Th>
              {manage && (
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.length === 0 ? (
              <EmptyRows colSpan={columns}>No target matches these filters.</EmptyRows>
            ) : (
              lines.map((l) => (
                <Table.Tr key={l.key}>
                  <Table.Td>{l.row.name}</Table.Td>
                  <Table.Td>
                    <ScopeBadge scope={l.scope} />
                  </Table.Td>
                  <Table.Td>{l.subject}</Table.Td>
                  <Table.Td>{value(l.target, l.row)}</Table.Td>
                  <Table.Td>{value(l.redFlag, l.row)}</Table.Td>
                  <Table.Td>{l.note || '—'}</Table.Td>
                  <Table.Td>
                    {l.stored ? (
                      <Text fz="xs">
                        {formatDateTime(l.stored.updatedAt)} · {l.stored.updatedBy}
                      </Text>
                    ) : (
                      <Text fz="xs" c="dimmed">
                        scorecard definition
                      </Text>
                    )}
                  </Table.Td>
                  {manage && (
                    <Table.Td>
                      {l.stored && (
                        <Group gap={4} wrap="nowrap">
                          <ActionIcon variant="subtle" aria-label={`Edit the target of ${l.subject} for ${l.row.name}`} onClick={() => setEditing(l)}>
                            <IconPencil size={16} aria-hidden />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Remove the target of ${l.subject} for ${l.row.name}`}
                            onClick={() => setDeleting(l)}
                          >
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Edit target" size="lg">
        {editing?.stored && <TargetForm scorecard={scorecard} rows={rows} kinds={kinds} existing={editing.stored} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Remove target">
        {deleting && <DeleteTarget scorecard={scorecard} line={deleting} onClose={() => setDeleting(null)} />}
      </Modal>
    </Stack>
  );
}
