import { Badge, Group, List, Stack, Text, Timeline } from '@mantine/core';
import { IconCheck, IconClock, IconX } from '@tabler/icons-react';
import type { ApprovalStepName, PlanVersionView } from '../../../../../common/api/comp-plans.ts';
import { formatDateTime } from '../../../lib/format.ts';

export const stepLabels: Record<ApprovalStepName, string> = {
  comp_admin: 'Compensation administrator',
  finance: 'Finance',
  manager: 'A manager of an assigned participant',
};

/** The approval chain of the current round, and every decision ever made on the version. */
export function ApprovalChain({ version }: { version: PlanVersionView }) {
  const firstOpen = version.chain.findIndex((s) => s.state !== 'done');
  const lastDone = firstOpen === -1 ? version.chain.length - 1 : firstOpen - 1;
  const past = version.approvals.filter((a) => a.round !== version.approvalRound || version.status === 'draft');
  return (
    <Stack gap="sm">
      {version.chain.length === 0 ? (
        <Text fz="sm" c="dimmed">
          Not submitted yet. Approval goes to the compensation administrator, then finance, then a manager of an assigned participant.
        </Text>
      ) : (
        <Timeline active={lastDone} bulletSize={22} lineWidth={2} aria-label="Approval steps">
          {version.chain.map((s) => (
            <Timeline.Item
              key={s.step}
              bullet={s.state === 'done' ? <IconCheck size={12} aria-hidden /> : <IconClock size={12} aria-hidden />}
              title={
                <Group gap="xs">
                  <Text fz="sm" fw={600}>
                    {stepLabels[s.step]}
                  </Text>
                  <Badge size="sm" variant="light" color={s.state === 'done' ? 'green' : s.state === 'next' ? 'realign' : 'gray'}>
                    {s.state === 'done' ? 'Approved' : s.state === 'next' ? 'Waiting for a decision' : 'Later'}
                  </Badge>
                </Group>
              }
            >
              {s.state === 'done' && (
                <Text fz="xs" c="dimmed">
                  {s.decidedByName ?? 'Someone'} · {formatDateTime(s.decidedAt)}
                  {s.comment ? ` · “${s.comment}”` : ''}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {version.rejectionComment && version.status === 'draft' && (
        <Text fz="sm" c="red.8">
          Sent back: “{version.rejectionComment}”
        </Text>
      )}
      {past.length > 0 && (
        <Stack gap={4}>
          <Text fz="sm" fw={600}>
            Earlier decisions
          </Text>
          <List size="sm" spacing={2}>
            {past.map((a) => (
              <List.Item key={a.id} icon={a.decision === 'approved' ? <IconCheck size={14} aria-hidden /> : <IconX size={14} aria-hidden />}>
                Round {a.round}: {stepLabels[a.step]} {a.decision} — {a.decidedByName ?? 'someone'}, {formatDateTime(a.decidedAt)}
                {a.comment ? `: “${a.comment}”` : ''}
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Stack>
  );
}
