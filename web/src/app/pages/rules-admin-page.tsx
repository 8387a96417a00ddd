import { Anchor, Button, Group, Paper, Skeleton, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { EmptyRows } from '../../components/ui/empty-rows.tsx';
import { FormError } from '../../components/ui/form-error.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useCreateRuleVersion } from '../../features/engagement/rules/api/create-rule-version.ts';
import { usePlainRules } from '../../features/engagement/rules/api/get-plain-rules.ts';
import { useRuleVersion } from '../../features/engagement/rules/api/get-rule-version.ts';
import { useRuleVersions } from '../../features/engagement/rules/api/list-rule-versions.ts';
import { AcknowledgeButton } from '../../features/engagement/rules/components/acknowledge-button.tsx';
import { AcknowledgementDashboardView } from '../../features/engagement/rules/components/acknowledgement-dashboard.tsx';
import { DraftEditor } from '../../features/engagement/rules/components/draft-editor.tsx';
import { PlainRules } from '../../features/engagement/rules/components/plain-rules.tsx';
import { RuleChanges } from '../../features/engagement/rules/components/rule-changes.tsx';
import { RuleStatusBadge } from '../../features/engagement/rules/components/rule-status-badge.tsx';
import { RulesReader } from '../../features/engagement/rules/components/rules-reader.tsx';
import { VersionActions } from '../../features/engagement/rules/components/version-actions.tsx';
import { canAdministerRules, canManageRules } from '../../features/engagement/rules/rules-permissions.ts';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import type { RuleSetVersionSummary } from '../../../../common/api/engagement-rules.ts';

function Preview({ id }: { id: string }) {
  const plain = usePlainRules(id);
  if (plain.isPending) return <Skeleton h={160} />;
  if (plain.isError) return <QueryError error={plain.error} onRetry={() => void plain.refetch()} />;
  return <PlainRules sections={plain.data.sections} headingOrder={3} />;
}

function SelectedVersion({ id, versions, manage }: { id: string; versions: RuleSetVersionSummary[]; manage: boolean }) {
  const version = useRuleVersion(id);
  const [params, setParams] = useSearchParams();
  if (version.isPending) return <Skeleton h={240} />;
  if (version.isError) return <QueryError error={version.error} onRetry={() => void version.refetch()} />;
  const v = version.data;
  const inForce = versions.find((x) => x.status === 'published');
  const from = params.get('from');
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={2} fz="lg">
              Version {v.version}: {v.title}
            </Title>
            <RuleStatusBadge status={v.status} />
          </Group>
          <Text fz="xs" c="dimmed">
            Created {formatDateTime(v.createdAt)}
            {v.createdByName ? ` by ${v.createdByName}` : ''}
            {v.publishedAt ? ` · published ${formatDateTime(v.publishedAt)}${v.publishedByName ? ` by ${v.publishedByName}` : ''}` : ''}
            {v.retiredAt ? ` · retired ${formatDateTime(v.retiredAt)}` : ''}
            {v.acknowledgeBy ? ` · accept by ${formatDate(v.acknowledgeBy)}` : ''}
          </Text>
        </Stack>
        {manage && <VersionActions version={v} inForce={inForce && inForce.id !== v.id ? inForce.version : null} />}
      </Group>
      {v.releaseNotes && (
        <Text fz="sm" mb="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {v.releaseNotes}
        </Text>
      )}
      <AcknowledgeButton version={v} />
      <Tabs defaultValue={v.status === 'draft' && manage ? 'edit' : 'plain'} mt="md" keepMounted={false}>
        <Tabs.List>
          {v.status === 'draft' && manage && <Tabs.Tab value="edit">Edit</Tabs.Tab>}
          <Tabs.Tab value="plain">Plain language</Tabs.Tab>
          <Tabs.Tab value="changes">What changed</Tabs.Tab>
          {v.status !== 'draft' && <Tabs.Tab value="acknowledgements">Acknowledgements</Tabs.Tab>}
        </Tabs.List>
        {v.status === 'draft' && manage && (
          <Tabs.Panel value="edit" pt="md">
            <DraftEditor key={v.updatedAt} version={v} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="plain" pt="md">
          <Preview id={v.id} />
        </Tabs.Panel>
        <Tabs.Panel value="changes" pt="md">
          <RuleChanges
            versionId={v.id}
            versions={versions}
            from={from}
            onFromChange={(f) => {
              const p = new URLSearchParams(params);
              if (f) p.set('from', f);
              else p.delete('from');
              setParams(p, { replace: true });
            }}
          />
        </Tabs.Panel>
        {v.status !== 'draft' && (
          <Tabs.Panel value="acknowledgements" pt="md">
            <AcknowledgementDashboardView versionId={v.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Paper>
  );
}

/** Internal users: the versions of the rules of the road, the draft editor, publication and acknowledgements. */
export function RulesAdminPage() {
  const { user } = useCurrentSession();
  const administer = canAdministerRules(user);
  const manage = canManageRules(user);
  const versions = useRuleVersions();
  const create = useCreateRuleVersion();
  const [params, setParams] = useSearchParams();

  if (!administer) {
    return (
      <>
        <PageHeader title="Rules of the road" crumbs={[{ label: 'Engagement', to: '/engagement' }, { label: 'Rules of the road' }]} />
        <RulesReader />
      </>
    );
  }

  const items = versions.data?.items ?? [];
  const fallback = items.find((v) => v.status === 'draft') ?? items.find((v) => v.status === 'published') ?? items[0];
  const selectedId = params.get('version') ?? fallback?.id ?? null;
  const select = (id: string) => {
    const p = new URLSearchParams(params);
    p.set('version', id);
    p.delete('from');
    setParams(p, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Rules of the road"
        description="Versions of the rule set behind registration, routing, SLAs, protection, conflicts and crediting."
        crumbs={[{ label: 'Engagement', to: '/engagement' }, { label: 'Rules of the road' }]}
        actions={
          manage ? (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              loading={create.isPending}
              onClick={() =>
                create.mutate(
                  { from: 'current' },
                  {
                    onSuccess: (v) => {
                      notifications.show({ color: 'green', message: `Draft version ${v.version} started.` });
                      select(v.id);
                    },
                  },
                )
              }
            >
              New draft
            </Button>
          ) : undefined
        }
      />
      <Stack gap="md">
        <FormError error={create.error} />
        <Paper withBorder p="md" radius="md">
          {versions.isPending ? (
            <Skeleton h={120} />
          ) : versions.isError ? (
            <QueryError error={versions.error} onRetry={() => void versions.refetch()} />
          ) : (
            <Table aria-label="Versions" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Version</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Published</Table.Th>
                  <Table.Th>Retired</Table.Th>
                  <Table.Th>Accept by</Table.Th>
                  <Table.Th>Last change</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length === 0 && <EmptyRows colSpan={6}>No versions yet. {manage ? 'Start a draft from the default rules.' : ''}</EmptyRows>}
                {items.map((v) => (
                  <Table.Tr
                    key={v.id}
                    aria-current={v.id === selectedId ? 'true' : undefined}
                    bg={v.id === selectedId ? 'var(--mantine-color-gray-0)' : undefined}
                  >
                    <Table.Td>
                      <Anchor component="button" type="button" fz="sm" onClick={() => select(v.id)}>
                        Version {v.version}: {v.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <RuleStatusBadge status={v.status} />
                    </Table.Td>
                    <Table.Td>{formatDate(v.publishedAt)}</Table.Td>
                    <Table.Td>{formatDate(v.retiredAt)}</Table.Td>
                    <Table.Td>{formatDate(v.acknowledgeBy)}</Table.Td>
                    <Table.Td>{formatDateTime(v.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
        {selectedId && <SelectedVersion key={selectedId} id={selectedId} versions={items} manage={manage} />}
      </Stack>
    </>
  );
}
