import { Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import {
  PartnerTierSummary,
  RecordFiguresForm,
  TierComplianceTable,
  useMyTierCompliance,
  useTierCompliance,
  useTierRules,
} from '../../features/scorecards/components/tier-compliance.tsx';
import { canReadAllScores } from '../../features/scorecards/scorecards-permissions.ts';
import { NotFoundPage } from './not-found-page.tsx';

/** Partner tier compliance: every partner for the channel team; "Your tier" for a partner user. */
export function TierCompliancePage() {
  const { user } = useCurrentSession();
  if (user.partnerId !== null) return <YourTier />;
  return canReadAllScores(user) ? (
    <AllPartners record={user.roles.some((r) => r === 'admin' || r === 'programme_lead' || r === 'channel_manager')} />
  ) : (
    <NotFoundPage />
  );
}

function YourTier() {
  const q = useMyTierCompliance();
  const c = q.data?.compliance;
  return (
    <>
      <PageHeader
        title="Your tier"
        description={c ? `${c.currentTier?.name ?? c.tier} · what you have and what the next tier needs (as of ${q.data?.asOf})` : undefined}
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: 'Your tier' }]}
      />
      {q.isPending ? <TableSkeleton /> : q.isError ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : c ? <PartnerTierSummary c={c} /> : null}
    </>
  );
}

function AllPartners({ record }: { record: boolean }) {
  const [params, setParams] = useSearchParams();
  const tier = params.get('tier') ?? '';
  const atRisk = params.get('atRisk') ?? '';
  const selected = params.get('partner');
  const q = useTierCompliance({ tier, atRisk });
  const rules = useTierRules(record);
  const set = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };
  const v = q.data;
  const detail = v?.items.find((i) => i.partnerId === selected) ?? null;
  return (
    <>
      <PageHeader
        title="Tier compliance"
        description={v ? `${v.rulesName} · trailing windows ending ${v.asOf}` : undefined}
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }, { label: 'Tier compliance' }]}
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md">
          <Group align="flex-end" gap="lg" wrap="wrap">
            <Select
              label="Tier"
              placeholder="All tiers"
              clearable
              w={200}
              value={tier || null}
              data={(v?.tiers ?? []).map((t) => ({ value: t.key, label: t.name }))}
              onChange={(t) => set({ tier: t })}
            />
            <Select
              label="At risk"
              placeholder="All partners"
              clearable
              w={200}
              value={atRisk || null}
              data={[
                { value: 'true', label: 'At risk only' },
                { value: 'false', label: 'Not at risk' },
              ]}
              onChange={(a) => set({ atRisk: a })}
            />
          </Group>
        </Paper>
        {q.isPending ? (
          <TableSkeleton />
        ) : q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : v ? (
          <Paper withBorder radius="md" p="md">
            <TierComplianceTable items={v.items} selected={selected} onSelect={(id) => set({ partner: id })} />
          </Paper>
        ) : null}
        {detail && (
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={2} fz="lg">
                {detail.partnerName}
              </Title>
              {record && rules.data && rules.data.rules.attributes.length > 0 && (
                <ModalButton label="Record figures" variant="light" title={`Figures of ${detail.partnerName}`} size="md">
                  {(dismiss) => <RecordFiguresForm c={detail} rules={rules.data.rules} onDone={dismiss} />}
                </ModalButton>
              )}
            </Group>
            {detail.qualifiesFor && (
              <Text fz="sm" c="dimmed">
                Meets every requirement up to {v?.tiers.find((t) => t.key === detail.qualifiesFor)?.name ?? detail.qualifiesFor}.
              </Text>
            )}
            <PartnerTierSummary c={detail} />
          </Stack>
        )}
      </Stack>
    </>
  );
}
