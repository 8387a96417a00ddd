import { Alert, Anchor, Button, Group, Paper, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconDownload, IconMessageReport, IconPrinter } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { MyPlanItem } from '../../../../common/api/comp-rollout.ts';
import { FormError } from '../../components/ui/form-error.tsx';
import { ModalButton } from '../../components/ui/modal-button.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useMyPlan } from '../../features/comp-rollout/api/get-my-plan.ts';
import { usePlanDocument } from '../../features/comp-rollout/api/get-plan-document.ts';
import { rolloutPaths } from '../../features/comp-rollout/api/paths.ts';
import { useAcknowledgePlan, useDisputePlan, useOpenPlan } from '../../features/comp-rollout/api/recipient-actions.ts';
import { PlanDocumentContent } from '../../features/comp-rollout/components/plan-document-view.tsx';
import { RecipientStatusBadge } from '../../features/comp-rollout/components/recipient-status-badge.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';

function DisputeForm({ item, done }: { item: MyPlanItem; done: () => void }) {
  const dispute = useDisputePlan();
  const [comment, setComment] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        dispute.mutate(
          { id: item.recipient.id, comment },
          {
            onSuccess: () => {
              notifications.show({ color: 'orange', message: 'Your dispute was sent to the compensation administrators.' });
              done();
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Textarea
          label="What do you disagree with?"
          description="The compensation administrators answer you; the plan is then sent to you again."
          required
          minRows={4}
          maxLength={4000}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
        <FormError error={dispute.error} />
        <Group justify="flex-end">
          <Button type="submit" color="orange" loading={dispute.isPending} disabled={comment.trim() === ''}>
            Send dispute
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Where I am with this plan, and the two answers: acknowledge, or dispute with a comment. */
function Answer({ item }: { item: MyPlanItem }) {
  const acknowledge = useAcknowledgePlan();
  const r = item.recipient;
  if (item.rollout.status === 'superseded' && r.status !== 'acknowledged')
    return (
      <Alert color="gray" variant="light" role="status" title="A newer version replaces this plan">
        <Text fz="sm">Read and acknowledge the newer version instead.</Text>
      </Alert>
    );
  if (r.status === 'acknowledged')
    return (
      <Alert color="green" variant="light" icon={<IconCircleCheck size={18} aria-hidden />} role="status" title="Acknowledged">
        <Text fz="sm">
          You acknowledged version {item.rollout.version} on {formatDateTime(r.acknowledgedAt)}.
        </Text>
      </Alert>
    );
  if (r.status === 'disputed')
    return (
      <Alert color="orange" variant="light" icon={<IconMessageReport size={18} aria-hidden />} role="status" title="Disputed: waiting for an answer">
        <Text fz="sm">You wrote: “{r.disputeComment}”</Text>
        <Text fz="xs" c="dimmed" mt={4}>
          Sent {formatDateTime(r.disputedAt)}. You can still acknowledge the plan if you changed your mind.
        </Text>
        <Button
          mt="sm"
          size="xs"
          variant="default"
          loading={acknowledge.isPending}
          onClick={() =>
            acknowledge.mutate(r.id, { onSuccess: () => notifications.show({ color: 'green', message: 'Thank you: your plan is acknowledged.' }) })
          }
        >
          Acknowledge after all
        </Button>
      </Alert>
    );
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Your answer">
      <Stack gap="sm">
        {r.resolutionComment && (
          <Alert color="blue" variant="light" title="The answer to your dispute">
            <Text fz="sm">{r.resolutionComment}</Text>
          </Alert>
        )}
        <Text fz="sm" c={r.overdue ? 'red' : undefined}>
          {r.overdue ? `This was due on ${formatDate(r.dueOn)}: please answer now.` : `Please read your plan and answer by ${formatDate(r.dueOn)}.`}
        </Text>
        <Group gap="sm">
          <Button
            leftSection={<IconCircleCheck size={16} aria-hidden />}
            loading={acknowledge.isPending}
            onClick={() =>
              acknowledge.mutate(r.id, { onSuccess: () => notifications.show({ color: 'green', message: 'Thank you: your plan is acknowledged.' }) })
            }
          >
            I have read and acknowledge my plan
          </Button>
          <ModalButton label="Dispute…" title="Dispute your plan" variant="default" size="md" icon={<IconAlertTriangle size={16} aria-hidden />}>
            {(done) => <DisputeForm item={item} done={done} />}
          </ModalButton>
        </Group>
        <FormError error={acknowledge.error} />
      </Stack>
    </Paper>
  );
}

function PlanOf({ item }: { item: MyPlanItem }) {
  const doc = usePlanDocument(item.rollout.versionId, item.recipient.participantId);
  const open = useOpenPlan();
  const marked = useRef<string | null>(null);
  // Showing the document marks the plan opened, once.
  useEffect(() => {
    if (!doc.data || item.recipient.openedAt !== null || marked.current === item.recipient.id) return;
    marked.current = item.recipient.id;
    open.mutate(item.recipient.id);
  }, [doc.data, item.recipient.id, item.recipient.openedAt, open]);
  const pdf = rolloutPaths.document(item.rollout.versionId, item.recipient.participantId, '.pdf');
  const html = rolloutPaths.document(item.rollout.versionId, item.recipient.participantId, '.html');
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Group gap="sm">
          <Text fw={600}>
            {item.rollout.planName}, version {item.rollout.version}
          </Text>
          <RecipientStatusBadge recipient={item.recipient} />
        </Group>
        <Group gap="sm">
          <Anchor href={html} target="_blank" rel="noopener" fz="sm">
            <Group gap={4} component="span">
              <IconPrinter size={16} aria-hidden />
              Printable version
            </Group>
          </Anchor>
          <Anchor href={`${pdf}?download=1`} fz="sm">
            <Group gap={4} component="span">
              <IconDownload size={16} aria-hidden />
              Download PDF
            </Group>
          </Anchor>
        </Group>
      </Group>
      <Answer item={item} />
      {doc.isPending ? (
        <TableSkeleton rows={6} />
      ) : doc.isError ? (
        <QueryError error={doc.error} onRetry={() => void doc.refetch()} />
      ) : (
        <PlanDocumentContent doc={doc.data} />
      )}
    </Stack>
  );
}

/** My compensation plan: the document sent to me, and my acknowledgement (or dispute). */
export function MyCompPlanPage() {
  const mine = useMyPlan();
  const [params, setParams] = useSearchParams();
  const items = mine.data?.items ?? [];
  const selected = items.find((i) => i.rollout.id === params.get('rollout')) ?? items[0];
  return (
    <>
      <PageHeader
        title="My comp plan"
        description="Your compensation plan: what you are paid for, your quota, examples of what you would earn, and your acknowledgement."
      />
      {mine.isPending ? (
        <TableSkeleton rows={4} />
      ) : mine.isError ? (
        <QueryError error={mine.error} onRetry={() => void mine.refetch()} />
      ) : !mine.data.participant ? (
        <Alert color="gray" variant="light" role="status">
          You are not a participant of a compensation plan in Realign. If you expected one, ask your compensation administrator.
        </Alert>
      ) : !selected ? (
        <Alert color="gray" variant="light" role="status">
          No plan has been sent to you yet.
        </Alert>
      ) : (
        <Stack gap="md">
          {items.length > 1 && (
            <SegmentedControl
              aria-label="Plans sent to you"
              value={selected.rollout.id}
              onChange={(v) => setParams({ rollout: v }, { replace: true })}
              data={items.map((i) => ({
                value: i.rollout.id,
                label: `${i.rollout.planName} v${i.rollout.version}${i.rollout.status === 'superseded' ? ' (replaced)' : ''}`,
              }))}
            />
          )}
          <PlanOf key={selected.recipient.id} item={selected} />
        </Stack>
      )}
    </>
  );
}
