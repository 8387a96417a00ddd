import { ActionIcon, Button, Checkbox, Fieldset, Group, SimpleGrid, Stack, Table, Text, TextInput, Textarea, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { internalRoles, roleLabels } from '../../../../../common/roles.ts';
import { periodGrains, subjectKindLabels, subjectKinds } from '../../../../../common/scorecards/metric.ts';
import { scorecardSchedules } from '../../../../../common/scorecards/scorecard.ts';
import { useMetrics } from '../api/list-metrics.ts';
import { Choice, issueAt, list, numberOrText, record, text, type Draft, type FormProps } from './definition-fields.tsx';

/**
 * A scorecard definition as a form: subject kind, period grain, trend, schedule, the metric rows
 * (metric from the library, weight, target, red flag) and the audiences its snapshots reach.
 * Targets are typed in the metric's unit: a ratio as a fraction (0.6 = 60%), money in minor units.
 */

const scheduleLabels: Record<(typeof scorecardSchedules)[number], string> = {
  none: 'On demand only',
  period_end: 'Publish at every period end',
};

function audienceOf(audiences: unknown[], kind: string): Draft | undefined {
  return audiences.map(record).find((a) => a.kind === kind);
}

export function ScorecardForm({ value, onChange, issues }: FormProps) {
  const metrics = useMetrics();
  const set = (patch: Draft) => onChange({ ...value, ...patch });
  const rows = list(value.rows).map(record);
  const audiences = list(value.audiences);
  const setRow = (i: number, patch: Draft) => set({ rows: rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const subjectKind = text(value.subjectKind);
  const metricOptions = (metrics.data?.items ?? [])
    .filter((m) => subjectKind === '' || (m.definition.subjectKinds as readonly string[]).includes(subjectKind))
    .map((m) => ({ value: m.key, label: `${m.definition.name} (${m.definition.unit})` }));

  const toggleAudience = (kind: string, on: boolean, make: () => Draft) =>
    set({ audiences: on ? [...audiences, make()] : audiences.filter((a) => record(a).kind !== kind) });
  const committee = audienceOf(audiences, 'committee');
  const [teamText, setTeamText] = useState(() =>
    audiences
      .map(record)
      .filter((a) => a.kind === 'team')
      .map((t) => text(t.team))
      .join(', '),
  );
  const audienceError = issueAt(issues, 'audiences') ?? audiences.map((_, i) => issueAt(issues, `audiences[${i}]`)).find(Boolean);

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label="Key" value={text(value.key)} error={issueAt(issues, 'key')} onChange={(e) => set({ key: e.currentTarget.value })} />
        <TextInput label="Name" value={text(value.name)} error={issueAt(issues, 'name')} onChange={(e) => set({ name: e.currentTarget.value })} />
        <TextInput label="Owner" value={text(value.owner)} error={issueAt(issues, 'owner')} onChange={(e) => set({ owner: e.currentTarget.value })} />
        <Choice
          label="Subject kind"
          value={subjectKind}
          options={subjectKinds.map((k) => ({ value: k, label: subjectKindLabels[k] }))}
          error={issueAt(issues, 'subjectKind')}
          onChange={(k) => set({ subjectKind: k })}
        />
        <Choice
          label="Period grain"
          value={text(value.periodGrain)}
          options={periodGrains}
          error={issueAt(issues, 'periodGrain')}
          onChange={(g) => set({ periodGrain: g })}
        />
        <TextInput
          label="Trend periods"
          description="1 to 12, the current one included"
          value={text(value.trendPeriods ?? 4)}
          error={issueAt(issues, 'trendPeriods')}
          onChange={(e) => set({ trendPeriods: numberOrText(e.currentTarget.value) })}
        />
        <Choice
          label="Schedule"
          value={text(value.schedule ?? 'none')}
          options={scorecardSchedules.map((s) => ({ value: s, label: scheduleLabels[s] }))}
          error={issueAt(issues, 'schedule')}
          onChange={(s) => set({ schedule: s })}
        />
      </SimpleGrid>
      <Textarea
        label="Description"
        autosize
        minRows={1}
        value={text(value.description)}
        error={issueAt(issues, 'description')}
        onChange={(e) => set({ description: e.currentTarget.value })}
      />
      <Fieldset legend="Metrics">
        {issueAt(issues, 'rows') && (
          <Text fz="xs" c="red.7" mb="xs">
            {issueAt(issues, 'rows')}
          </Text>
        )}
        <Table aria-label="Scorecard metrics" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Metric</Table.Th>
              <Table.Th>Weight</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>Red flag</Table.Th>
              <Table.Th>
                <VisuallyHidden>Remove</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => {
              const n = i + 1;
              return (
                <Table.Tr key={i}>
                  <Table.Td>
                    <Choice
                      label={`Row ${n}: metric`}
                      value={text(r.metric)}
                      options={metricOptions}
                      error={issueAt(issues, `rows[${i}].metric`)}
                      onChange={(m) => setRow(i, { metric: m })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      label={`Row ${n}: weight`}
                      w={90}
                      value={text(r.weight ?? 1)}
                      error={issueAt(issues, `rows[${i}].weight`)}
                      onChange={(e) => setRow(i, { weight: numberOrText(e.currentTarget.value) })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      label={`Row ${n}: target`}
                      value={text(r.target)}
                      error={issueAt(issues, `rows[${i}].target`)}
                      onChange={(e) => setRow(i, { target: numberOrText(e.currentTarget.value) })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      label={`Row ${n}: red flag`}
                      value={text(r.redFlag)}
                      error={issueAt(issues, `rows[${i}].redFlag`)}
                      onChange={(e) => setRow(i, { redFlag: numberOrText(e.currentTarget.value) })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      mt={24}
                      aria-label={`Remove row ${n}`}
                      onClick={() => set({ rows: rows.filter((_, j) => j !== i) })}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Button
          mt="xs"
          variant="subtle"
          size="compact-sm"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => set({ rows: [...rows, { metric: metricOptions[0]?.value ?? '', weight: 1, target: 1, redFlag: 0 }] })}
        >
          Add metric row
        </Button>
      </Fieldset>
      <Fieldset legend="Audiences of published snapshots">
        <Stack gap="xs">
          {audienceError && (
            <Text fz="xs" c="red.7">
              {audienceError}
            </Text>
          )}
          <Checkbox
            label="Every internal user"
            checked={audienceOf(audiences, 'internal') !== undefined}
            onChange={(e) => toggleAudience('internal', e.currentTarget.checked, () => ({ kind: 'internal' }))}
          />
          <Checkbox
            label="Partners (each its own row and anonymised benchmarks)"
            checked={audienceOf(audiences, 'partners') !== undefined}
            onChange={(e) => toggleAudience('partners', e.currentTarget.checked, () => ({ kind: 'partners' }))}
          />
          <Checkbox
            label="The oversight committee"
            checked={committee !== undefined}
            onChange={(e) => toggleAudience('committee', e.currentTarget.checked, () => ({ kind: 'committee', roles: ['executive'] }))}
          />
          {committee && (
            <Checkbox.Group
              label="Committee roles"
              value={list(committee.roles).map(text)}
              onChange={(rs) => set({ audiences: audiences.map((a) => (record(a).kind === 'committee' ? { kind: 'committee', roles: rs } : a)) })}
            >
              <Group gap="md" mt={4}>
                {internalRoles.map((r) => (
                  <Checkbox key={r} value={r} label={roleLabels[r]} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
          <TextInput
            label="Teams"
            description="members of these teams (comp participants), separated by commas"
            value={teamText}
            onChange={(e) => {
              setTeamText(e.currentTarget.value);
              const names = e.currentTarget.value
                .split(',')
                .map((x) => x.trim())
                .filter((x) => x !== '');
              const others = audiences.filter((a) => record(a).kind !== 'team');
              set({ audiences: [...others, ...names.map((team) => ({ kind: 'team', team }))] });
            }}
          />
        </Stack>
      </Fieldset>
    </Stack>
  );
}
