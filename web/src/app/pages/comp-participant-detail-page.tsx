import { Anchor, Badge, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { canManageComp } from '../../features/comp-plans/comp-plans-permissions.ts';
import { useParticipant } from '../../features/comp-participants/api/participants.ts';
import { AssignmentsPanel } from '../../features/comp-participants/components/assignments-panel.tsx';
import { DeactivateParticipantButton, EditParticipantButton } from '../../features/comp-participants/components/participant-buttons.tsx';
import { ParticipantQuotas } from '../../features/comp-participants/components/participant-quotas.tsx';
import { todayIso } from '../../features/comp-participants/field-errors.ts';
import { covers, periodText } from '../../features/comp-participants/participant-dates.ts';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** One participant: who they are, the plans they are on and their quotas. */
export function CompParticipantDetailPage() {
  const { participantId = '' } = useParams();
  const { user } = useCurrentSession();
  const manage = canManageComp(user);
  const participant = useParticipant(participantId);
  const crumbs = [
    { label: 'Comp plans', to: '/comp-plans' },
    { label: 'Participants', to: '/comp-plans/participants' },
    { label: participant.data?.displayName ?? 'Participant' },
  ];

  if (participant.isPending)
    return (
      <>
        <PageHeader title="Participant" crumbs={crumbs} />
        <Skeleton h={200} />
      </>
    );
  if (participant.isError)
    return (
      <>
        <PageHeader title="Participant" crumbs={crumbs} />
        <QueryError error={participant.error} onRetry={() => void participant.refetch()} />
      </>
    );

  const p = participant.data;
  const active = covers(p.activeFrom, p.activeTo, todayIso());
  return (
    <>
      <PageHeader
        title={p.displayName}
        description={`Reference ${p.externalRef}`}
        crumbs={crumbs}
        badge={
          <Badge variant="light" color={active ? 'green' : 'gray'}>
            {active ? 'Active' : 'Inactive'}
          </Badge>
        }
        actions={
          manage ? (
            <>
              <EditParticipantButton key={p.updatedAt} participant={p} />
              {(p.activeTo === null || p.activeTo > todayIso()) && <DeactivateParticipantButton participant={p} />}
            </>
          ) : undefined
        }
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md" component="section" aria-label="Details">
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
            <Fact label="E-mail">{p.email ?? '—'}</Fact>
            <Fact label="Manager">
              {p.managerId && p.managerName ? (
                <Anchor component={Link} to={`/comp-plans/participants/${p.managerId}`} fz="sm">
                  {p.managerName}
                </Anchor>
              ) : (
                '—'
              )}
            </Fact>
            <Fact label="Active">{periodText(p.activeFrom, p.activeTo)}</Fact>
            <Fact label="Signs in to Realign">{p.appUserId ? 'Yes, linked to a user' : 'No'}</Fact>
            <Fact label="Team">{p.team ?? '—'}</Fact>
            <Fact label="Unit">{p.unit ?? '—'}</Fact>
            <Fact label="Territory">{p.territory ?? '—'}</Fact>
          </SimpleGrid>
        </Paper>
        <AssignmentsPanel participant={p} manage={manage} />
        <ParticipantQuotas participantId={p.id} manage={manage} />
      </Stack>
    </>
  );
}
