import { Group, Paper, Select, Tabs, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { usePlans } from '../../features/comp-plans/api/list-plans.ts';
import { canManageComp } from '../../features/comp-plans/comp-plans-permissions.ts';
import { useCurrentAssignments } from '../../features/comp-participants/api/assignments.ts';
import { useParticipants } from '../../features/comp-participants/api/participants.ts';
import { CreateParticipantButton } from '../../features/comp-participants/components/participant-buttons.tsx';
import { ParticipantsTable } from '../../features/comp-participants/components/participants-table.tsx';
import { QuotaUpload } from '../../features/comp-participants/components/quota-upload.tsx';
import { todayIso } from '../../features/comp-participants/field-errors.ts';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const pageSize = 50;

type UrlChange = { q?: string; team?: string; plan?: string | null; offset?: number; tab?: string | null };

/** Participants of compensation plans (sellers, managers, overlays) and the bulk quota upload. */
export function CompParticipantsPage() {
  const { user } = useCurrentSession();
  const manage = canManageComp(user);
  // Search, filters, page and tab live in the URL so a filtered list can be shared and survives reloads.
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [teamDraft, setTeamDraft] = useState(params.get('team') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [team] = useDebouncedValue(teamDraft.trim(), 250);
  const planId = params.get('plan');
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const settled = q === (params.get('q') ?? '') && team === (params.get('team') ?? '');
  const effectiveOffset = settled ? offset : 0;
  const tab = manage && params.get('tab') === 'quotas' ? 'quotas' : 'participants';
  const today = todayIso();

  const participants = useParticipants({ q: q || undefined, team: team || undefined, planId: planId ?? undefined, limit: pageSize, offset: effectiveOffset });
  const plans = usePlans({ limit: 200, offset: 0 });
  const current = useCurrentAssignments(
    (participants.data?.items ?? []).map((p) => p.id),
    today,
  );

  const update = (next: UrlChange) => {
    // Read the location itself: several changes can land before the next render refreshes `params`.
    const p = new URLSearchParams(window.location.search);
    const set = (key: string, value: string | null | undefined) => {
      if (value === undefined) return;
      if (value) p.set(key, value);
      else p.delete(key);
    };
    set('q', next.q);
    set('team', next.team);
    set('plan', next.plan);
    set('tab', next.tab);
    if (next.offset) p.set('offset', String(next.offset));
    else p.delete('offset');
    setParams(p, { replace: true });
  };

  const filtered = q !== '' || team !== '' || planId !== null;

  return (
    <>
      <PageHeader
        title="Participants"
        description="The people paid under compensation plans: sellers, managers and overlays, their plans and quotas."
        actions={manage ? <CreateParticipantButton /> : undefined}
      />
      <Tabs value={tab} onChange={(t) => update({ tab: t === 'quotas' ? 'quotas' : null, offset })} keepMounted={false}>
        {manage && (
          <Tabs.List mb="md">
            <Tabs.Tab value="participants">Participants</Tabs.Tab>
            <Tabs.Tab value="quotas">Upload quotas</Tabs.Tab>
          </Tabs.List>
        )}
        <Tabs.Panel value="participants">
          <Paper withBorder radius="md" p="md">
            <Group mb="sm" align="flex-end">
              <TextInput
                label="Search participants"
                placeholder="Name, reference or e-mail"
                leftSection={<IconSearch size={16} aria-hidden />}
                value={search}
                onChange={(e) => {
                  setSearch(e.currentTarget.value);
                  update({ q: e.currentTarget.value.trim(), offset: 0 });
                }}
                w={300}
                type="search"
              />
              <TextInput
                label="Team"
                placeholder="any"
                value={teamDraft}
                onChange={(e) => {
                  setTeamDraft(e.currentTarget.value);
                  update({ team: e.currentTarget.value.trim(), offset: 0 });
                }}
                w={180}
              />
              <Select
                label="On plan today"
                placeholder="any"
                clearable
                searchable
                data={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
                value={planId}
                onChange={(v) => update({ plan: v ?? '', offset: 0 })}
                w={240}
                comboboxProps={{ withinPortal: true }}
              />
            </Group>
            {participants.isPending ? (
              <TableSkeleton />
            ) : participants.isError ? (
              <QueryError error={participants.error} onRetry={() => void participants.refetch()} />
            ) : (
              <>
                <ParticipantsTable
                  items={participants.data.items}
                  currentPlans={current.byParticipant}
                  plansPending={current.pending}
                  today={today}
                  emptyText={filtered ? 'No participant matches these filters.' : manage ? 'No participants yet. Add the first one.' : 'No participants yet.'}
                />
                <Pager
                  total={participants.data.total}
                  limit={pageSize}
                  offset={effectiveOffset}
                  onOffsetChange={(o) => update({ offset: o })}
                  noun="participants"
                />
              </>
            )}
          </Paper>
        </Tabs.Panel>
        {manage && (
          <Tabs.Panel value="quotas">
            <QuotaUpload />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}
