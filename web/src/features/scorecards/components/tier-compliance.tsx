import { Badge, Button, Group, NumberInput, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type {
  MyTierCompliance,
  PartnerAttributeView,
  PartnerComplianceView,
  RequirementStatusView,
  TierComplianceList,
  TierRulesView,
  TierStatusView,
} from '../../../../../common/api/scorecard-tiers.ts';
import type { MetricUnit } from '../../../../../common/scorecards/metric.ts';
import { formatMetricValue } from '../../../../../common/scorecards/format.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { FormError } from '../../../components/ui/form-error.tsx';
import { api, apiRequest, withQuery } from '../../../lib/api-client.ts';

// ---------------------------------------------------------------------------------------------
// Data

const keys = {
  list: (q: { tier: string; atRisk: string }) => ['scorecards', 'tier-compliance', q] as const,
  me: () => ['scorecards', 'tier-compliance', 'me'] as const,
  rules: () => ['scorecards', 'tier-rules'] as const,
};

export function useTierCompliance(q: { tier: string; atRisk: string }) {
  const query = { ...(q.tier ? { tier: q.tier } : {}), ...(q.atRisk ? { atRisk: q.atRisk } : {}) };
  return useQuery({
    queryKey: keys.list(q),
    queryFn: ({ signal }) => api.get<TierComplianceList>(withQuery('/api/scorecards/tier-compliance', query), signal),
    placeholderData: keepPreviousData,
  });
}

export function useMyTierCompliance() {
  return useQuery({ queryKey: keys.me(), queryFn: ({ signal }) => api.get<MyTierCompliance>('/api/scorecards/tier-compliance/me', signal) });
}

export function useTierRules(enabled: boolean) {
  return useQuery({ queryKey: keys.rules(), queryFn: ({ signal }) => api.get<TierRulesView>('/api/scorecards/tier-rules', signal), enabled });
}

function useRecordFigures(partnerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (values: { key: string; value: number }[]) =>
      apiRequest<{ items: PartnerAttributeView[] }>(`/api/scorecards/tier-compliance/partners/${encodeURIComponent(partnerId)}/attributes`, {
        method: 'PUT',
        body: { values },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['scorecards', 'tier-compliance'] }),
  });
}

// ---------------------------------------------------------------------------------------------
// Presentation

const fmt = (r: RequirementStatusView, v: number | null) => formatMetricValue(v, r.unit as MetricUnit, r.currency);

function requirementSentence(r: RequirementStatusView): string {
  const need = `${r.comparison === 'at_least' ? 'at least' : 'at most'} ${fmt(r, r.threshold)}`;
  const window = r.windowMonths === null ? '' : ` over ${r.windowMonths} months`;
  return `${fmt(r, r.actual)} of ${need}${window}`;
}

/** One requirement: actual against required, a progress bar, met or not. */
function RequirementRow({ r, tierName }: { r: RequirementStatusView; tierName: string }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fz="sm" fw={500}>
          {r.label}
        </Text>
        <Badge color={r.met ? 'green' : 'red'} variant="light">
          {r.met ? 'Met' : 'Not met'}
        </Badge>
      </Group>
      <Progress
        value={Math.round(r.progress * 100)}
        color={r.met ? 'green' : r.progress >= 0.75 ? 'orange' : 'red'}
        aria-label={`${r.label} for ${tierName}: ${Math.round(r.progress * 100)}%`}
      />
      <Text fz="xs" c="dimmed">
        {requirementSentence(r)}
        {!r.met && r.shortfall !== null && r.shortfall > 0 ? ` · ${fmt(r, r.shortfall)} to go` : ''}
      </Text>
    </Stack>
  );
}

export function TierRequirements({ tier, title }: { tier: TierStatusView; title: string }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Title order={3} fz="md">
          {title}: {tier.name}
        </Title>
        <Text fz="sm" c="dimmed">
          {tier.met} of {tier.total} met
        </Text>
      </Group>
      {tier.requirements.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No requirements.
        </Text>
      ) : (
        <Stack gap="md">
          {tier.requirements.map((r) => (
            <RequirementRow key={r.key} r={r} tierName={tier.name} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** What a partner has and what the next tier needs: the partner's own view and the internal detail. */
export function PartnerTierSummary({ c }: { c: PartnerComplianceView }) {
  return (
    <Stack gap="md">
      {c.atRisk && (
        <Paper withBorder radius="md" p="sm" bg="red.0">
          <Text fz="sm" fw={500} c="red.9">
            At risk: {c.currentTier?.total !== undefined ? c.currentTier.total - c.currentTier.met : 0} requirement(s) of the current tier are not met.
          </Text>
        </Paper>
      )}
      {c.unknownTier !== null && (
        <Text fz="sm">The recorded tier “{c.unknownTier}” is not one of the tier rules; the first tier is shown as the next one.</Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {c.currentTier ? <TierRequirements tier={c.currentTier} title="Current tier" /> : null}
        {c.nextTier ? (
          <TierRequirements tier={c.nextTier} title="Next tier" />
        ) : (
          <Paper withBorder radius="md" p="md">
            <Text fz="sm">This is the highest tier.</Text>
          </Paper>
        )}
      </SimpleGrid>
      {c.attributes.length > 0 && (
        <Text fz="xs" c="dimmed">
          Recorded figures: {c.attributes.map((a) => `${a.name} ${a.value} (as of ${a.recordedOn})`).join(' · ')}
        </Text>
      )}
    </Stack>
  );
}

function tierCell(t: TierStatusView | null): string {
  return t ? `${t.name} (${t.met}/${t.total})` : '—';
}

export function TierComplianceTable({
  items,
  selected,
  onSelect,
}: {
  items: readonly PartnerComplianceView[];
  selected: string | null;
  onSelect: (partnerId: string) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover aria-label="Partner tier compliance">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Partner</Table.Th>
            <Table.Th>Tier</Table.Th>
            <Table.Th>Requirements met</Table.Th>
            <Table.Th>Next tier</Table.Th>
            <Table.Th>At risk</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 ? (
            <EmptyRows colSpan={5}>No partners match.</EmptyRows>
          ) : (
            items.map((c) => (
              <Table.Tr key={c.partnerId} aria-selected={selected === c.partnerId}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => onSelect(c.partnerId)}>
                    {c.partnerName}
                  </Button>
                </Table.Td>
                <Table.Td>{c.currentTier?.name ?? `${c.tier} (unknown)`}</Table.Td>
                <Table.Td>{c.currentTier ? `${c.currentTier.met} / ${c.currentTier.total}` : '—'}</Table.Td>
                <Table.Td>{tierCell(c.nextTier)}</Table.Td>
                <Table.Td>
                  {c.atRisk ? (
                    <Badge color="red" variant="light">
                      At risk
                    </Badge>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      No
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Channel managers record a partner's figures (certified people, customer satisfaction...). */
export function RecordFiguresForm({ c, rules, onDone }: { c: PartnerComplianceView; rules: TierRulesView['rules']; onDone: () => void }) {
  const recorded = new Map(c.attributes.map((a) => [a.key, a.value]));
  const [values, setValues] = useState<Record<string, number | string>>(() =>
    Object.fromEntries(rules.attributes.map((a) => [a.key, recorded.get(a.key) ?? ''])),
  );
  const save = useRecordFigures(c.partnerId);
  const submit = () => {
    const list = Object.entries(values)
      .filter(([, v]) => v !== '')
      .map(([key, v]) => ({ key, value: Number(v) }));
    if (list.length) save.mutate(list, { onSuccess: onDone });
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm">
        {rules.attributes.map((a) => (
          <NumberInput
            key={a.key}
            label={a.name}
            description={a.description || undefined}
            min={0}
            max={a.unit === 'ratio' ? 1 : undefined}
            decimalScale={a.unit === 'count' ? 0 : 4}
            value={values[a.key] ?? ''}
            onChange={(v) => setValues((s) => ({ ...s, [a.key]: v }))}
          />
        ))}
        <FormError error={save.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save figures
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
