import { Anchor, Button, Group, Paper, Skeleton, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { PlanDetail, PlanVersionView } from '../../../../common/api/comp-plans.ts';
import type { PlanDocument } from '../../../../common/comp/plan.ts';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { FormError } from '../../components/ui/form-error.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { usePlan } from '../../features/comp-plans/api/get-plan.ts';
import { usePlanVersion } from '../../features/comp-plans/api/get-plan-version.ts';
import { useCreatePlanVersion, useSaveDraft } from '../../features/comp-plans/api/plan-mutations.ts';
import { canManageComp } from '../../features/comp-plans/comp-plans-permissions.ts';
import { ApprovalChain } from '../../features/comp-plans/components/approval-chain.tsx';
import { PlanChanges } from '../../features/comp-plans/components/plan-changes.tsx';
import { PlanWorkbench } from '../../features/comp-plans/components/plan-workbench.tsx';
import { VersionActions } from '../../features/comp-plans/components/version-actions.tsx';
import { VersionStatusBadge } from '../../features/comp-plans/components/version-status-badge.tsx';
import { type PlanIssue, validatePlan } from '../../features/comp-plans/plan-issues.ts';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { isApiError } from '../../lib/api-client.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';

const serverIssuesOf = (error: unknown): PlanIssue[] =>
  isApiError(error) ? (error.problem.issues ?? []).filter((i) => i.path.startsWith('document') || i.path.startsWith('body.document')) : [];

/** One version: its header, actions, and the design (editable while a draft), approval and changes tabs. */
function VersionBody({ version, plan, manage }: { version: PlanVersionView; plan: PlanDetail; manage: boolean }) {
  const saved = version.document as unknown as PlanDocument;
  const [doc, setDoc] = useState<PlanDocument>(saved);
  const [changeNote, setChangeNote] = useState(version.changeNote);
  const [params, setParams] = useSearchParams();
  const save = useSaveDraft(version.id);
  const editable = manage && version.status === 'draft';
  const dirty = useMemo(() => JSON.stringify(doc) !== JSON.stringify(saved) || changeNote !== version.changeNote, [doc, saved, changeNote, version.changeNote]);
  const liveProblems = useMemo(() => validatePlan(doc).length, [doc]);
  const serverIssues = useMemo(() => [...serverIssuesOf(save.error), ...version.issues], [save.error, version.issues]);
  const tab = params.get('tab') ?? 'design';
  const setParam = (key: string, value: string | null) => {
    const p = new URLSearchParams(window.location.search);
    if (value) p.set(key, value);
    else p.delete(key);
    setParams(p, { replace: true });
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={2} fz="lg">
              Version {version.version}
            </Title>
            <VersionStatusBadge status={version.status} />
          </Group>
          <Text fz="xs" c="dimmed">
            In force from {formatDate(version.effectiveFrom)}
            {version.effectiveTo ? ` until ${formatDate(version.effectiveTo)}` : ''} · created {formatDateTime(version.createdAt)}
            {version.createdByName ? ` by ${version.createdByName}` : ''}
            {version.submittedAt ? ` · submitted ${formatDateTime(version.submittedAt)}` : ''}
            {version.publishedAt ? ` · published ${formatDateTime(version.publishedAt)}${version.publishedByName ? ` by ${version.publishedByName}` : ''}` : ''}
          </Text>
          {version.changeNote && !editable && <Text fz="sm">{version.changeNote}</Text>}
        </Stack>
        <VersionActions version={version} manage={manage} dirty={dirty} liveProblems={liveProblems} />
      </Group>
      <Tabs value={tab} onChange={(t) => setParam('tab', t === 'design' ? null : t)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="design">{editable ? 'Design' : 'Plan'}</Tabs.Tab>
          <Tabs.Tab value="approval">Approval</Tabs.Tab>
          <Tabs.Tab value="changes">What changed</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="design" pt="md">
          {editable && (
            <Paper
              withBorder
              radius="md"
              p="sm"
              mb="md"
              style={{ position: 'sticky', top: 60, zIndex: 5, background: 'var(--mantine-color-body)' }}
              aria-label="Save the draft"
              component="section"
            >
              <Group align="flex-end" gap="sm" wrap="nowrap">
                <Textarea
                  label="Change note"
                  placeholder="What changed and why"
                  autosize
                  minRows={1}
                  maxRows={3}
                  value={changeNote}
                  onChange={(e) => setChangeNote(e.currentTarget.value)}
                  style={{ flex: 1 }}
                  maxLength={4000}
                />
                <Text fz="xs" c="dimmed" mb={8} aria-live="polite">
                  {dirty ? 'Unsaved changes' : 'Saved'}
                </Text>
                <Button
                  leftSection={<IconDeviceFloppy size={16} aria-hidden />}
                  loading={save.isPending}
                  disabled={!dirty}
                  onClick={() =>
                    save.mutate({ document: doc, changeNote }, { onSuccess: () => notifications.show({ color: 'green', message: 'Draft saved.' }) })
                  }
                >
                  Save draft
                </Button>
              </Group>
              {save.error !== null && serverIssuesOf(save.error).length === 0 && <FormError error={save.error} />}
              {save.error !== null && serverIssuesOf(save.error).length > 0 && (
                <Text fz="sm" c="red.8" role="alert" mt={4}>
                  The draft was not saved: the server found {serverIssuesOf(save.error).length} problem(s), shown at their fields.
                </Text>
              )}
            </Paper>
          )}
          <PlanWorkbench value={doc} onChange={setDoc} readOnly={!editable} serverIssues={serverIssues} />
        </Tabs.Panel>
        <Tabs.Panel value="approval" pt="md">
          <ApprovalChain version={version} />
        </Tabs.Panel>
        <Tabs.Panel value="changes" pt="md">
          <PlanChanges versionId={version.id} versions={plan.versions} from={params.get('from')} onFromChange={(f) => setParam('from', f)} />
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}

function SelectedVersion({ id, plan, manage }: { id: string; plan: PlanDetail; manage: boolean }) {
  const version = usePlanVersion(id);
  if (version.isPending) return <Skeleton h={320} />;
  if (version.isError) return <QueryError error={version.error} onRetry={() => void version.refetch()} />;
  return <VersionBody key={`${version.data.id}:${version.data.updatedAt}`} version={version.data} plan={plan} manage={manage} />;
}

/** One plan: its versions, the draft's editor, approval, changes between versions and exports. */
export function CompPlanDetailPage() {
  const { planId = '' } = useParams();
  const { user } = useCurrentSession();
  const manage = canManageComp(user);
  const plan = usePlan(planId);
  const createVersion = useCreatePlanVersion(planId);
  const [params, setParams] = useSearchParams();
  const crumbs = [{ label: 'Comp plans', to: '/comp-plans' }, { label: plan.data?.name ?? 'Plan' }];

  if (plan.isPending)
    return (
      <>
        <PageHeader title="Plan" crumbs={crumbs} />
        <Skeleton h={240} />
      </>
    );
  if (plan.isError)
    return (
      <>
        <PageHeader title="Plan" crumbs={crumbs} />
        <QueryError error={plan.error} onRetry={() => void plan.refetch()} />
      </>
    );

  const p = plan.data;
  const fallback = p.open?.id ?? p.published?.id ?? p.versions[0]?.id ?? null;
  const selectedId = params.get('version') ?? fallback;
  const select = (id: string) => {
    const next = new URLSearchParams();
    next.set('version', id);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={p.name}
        description={`${p.key} · ${p.currency} · ${p.published ? `version ${p.published.version} in force` : 'not published yet'} · ${p.assignedNow} participant${p.assignedNow === 1 ? '' : 's'} now`}
        crumbs={crumbs}
        actions={
          manage && !p.open ? (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              loading={createVersion.isPending}
              onClick={() =>
                createVersion.mutate(
                  { changeNote: '' },
                  {
                    onSuccess: (v) => {
                      notifications.show({ color: 'green', message: `Version ${v.version} started as a draft.` });
                      select(v.id);
                    },
                  },
                )
              }
            >
              New version
            </Button>
          ) : undefined
        }
      />
      <Stack gap="md">
        <FormError error={createVersion.error} />
        <Paper withBorder p="md" radius="md">
          <Table aria-label="Versions" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Effective</Table.Th>
                <Table.Th>Change note</Table.Th>
                <Table.Th>Published</Table.Th>
                <Table.Th>Last change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.versions.length === 0 && <EmptyRows colSpan={6}>No versions.</EmptyRows>}
              {p.versions.map((v) => (
                <Table.Tr
                  key={v.id}
                  aria-current={v.id === selectedId ? 'true' : undefined}
                  bg={v.id === selectedId ? 'var(--mantine-color-gray-0)' : undefined}
                >
                  <Table.Td>
                    <Anchor component="button" type="button" fz="sm" onClick={() => select(v.id)}>
                      Version {v.version}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <VersionStatusBadge status={v.status} />
                  </Table.Td>
                  <Table.Td>
                    {formatDate(v.effectiveFrom)} – {v.effectiveTo ? formatDate(v.effectiveTo) : 'open-ended'}
                  </Table.Td>
                  <Table.Td maw={360}>
                    <Text fz="sm" lineClamp={2}>
                      {v.changeNote || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDateTime(v.publishedAt)}</Table.Td>
                  <Table.Td>{formatDateTime(v.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        {selectedId && <SelectedVersion key={selectedId} id={selectedId} plan={p} manage={manage} />}
      </Stack>
    </>
  );
}
