import { Button, Group, Menu, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCheck, IconChevronDown, IconDownload, IconSend, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChainStepView, PlanVersionView } from '../../../../../common/api/comp-plans.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useExportPlanVersion } from '../api/export-plan-version.ts';
import { useApproveStep, usePublishVersion, useRejectStep, useSubmitVersion, useWithdrawVersion } from '../api/plan-mutations.ts';
import { stepLabels } from './approval-chain.tsx';

/** Export as a file: anyone who reads the version. */
export function ExportMenu({ version }: { version: PlanVersionView }) {
  const exporter = useExportPlanVersion();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          loading={exporter.isPending}
        >
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => exporter.mutate({ id: version.id, format: 'yaml' })}>YAML file</Menu.Item>
        <Menu.Item onClick={() => exporter.mutate({ id: version.id, format: 'json' })}>JSON file</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function DecideButtons({ version, step }: { version: PlanVersionView; step: ChainStepView }) {
  const [opened, modal] = useDisclosure(false);
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const [comment, setComment] = useState('');
  const approve = useApproveStep();
  const reject = useRejectStep();
  const pending = approve.isPending || reject.isPending;
  const open = (d: 'approve' | 'reject') => {
    setDecision(d);
    approve.reset();
    reject.reset();
    modal.open();
  };
  const label = stepLabels[step.step].toLowerCase();
  return (
    <>
      <Button leftSection={<IconCheck size={16} aria-hidden />} onClick={() => open('approve')}>
        Approve…
      </Button>
      <Button variant="default" color="red" leftSection={<IconX size={16} aria-hidden />} onClick={() => open('reject')}>
        Send back…
      </Button>
      <Modal
        opened={opened}
        onClose={modal.close}
        title={decision === 'approve' ? `Approve version ${version.version}?` : `Send version ${version.version} back?`}
      >
        <Stack gap="sm">
          <Text fz="sm">
            {decision === 'approve'
              ? `You approve as ${label}. The next step of the chain is asked next.`
              : 'The version returns to draft with your comment, and the chain starts again when it is submitted.'}
          </Text>
          <Textarea
            label={decision === 'approve' ? 'Comment (optional)' : 'Why'}
            required={decision === 'reject'}
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-autofocus
          />
          <FormError error={approve.error ?? reject.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={modal.close}>
              Cancel
            </Button>
            <Button
              color={decision === 'approve' ? undefined : 'red'}
              loading={pending}
              disabled={decision === 'reject' && comment.trim() === ''}
              onClick={() => {
                const done = {
                  onSuccess: () => (
                    modal.close(),
                    notifications.show({ color: 'green', message: decision === 'approve' ? 'Approved.' : 'Sent back to draft.' })
                  ),
                };
                if (decision === 'approve') approve.mutate({ id: version.id, step: step.step, comment: comment.trim() }, done);
                else reject.mutate({ id: version.id, step: step.step, comment: comment.trim() }, done);
              }}
            >
              {decision === 'approve' ? 'Approve' : 'Send back'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Submit, withdraw, approve or send back, and publish: what the signed-in user may do now. */
export function VersionActions({ version, manage, dirty, liveProblems }: { version: PlanVersionView; manage: boolean; dirty: boolean; liveProblems: number }) {
  const submit = useSubmitVersion();
  const withdraw = useWithdrawVersion();
  const publish = usePublishVersion();
  const [publishOpen, publishModal] = useDisclosure(false);
  const next = version.chain.find((s) => s.state === 'next' && s.mayDecide);
  const error = submit.error ?? withdraw.error;
  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs">
        {manage && version.status === 'draft' && (
          <Button
            leftSection={<IconSend size={16} aria-hidden />}
            loading={submit.isPending}
            disabled={dirty || liveProblems > 0 || version.issues.length > 0}
            title={dirty ? 'Save the draft first' : liveProblems > 0 || version.issues.length > 0 ? 'Fix the problems first' : undefined}
            onClick={() => submit.mutate(version.id, { onSuccess: () => notifications.show({ color: 'green', message: 'Submitted for approval.' }) })}
          >
            Submit for approval
          </Button>
        )}
        {version.status === 'in_approval' && next && <DecideButtons version={version} step={next} />}
        {manage && version.status === 'approved' && (
          <Button leftSection={<IconSend size={16} aria-hidden />} onClick={publishModal.open}>
            Publish…
          </Button>
        )}
        {manage && (version.status === 'in_approval' || version.status === 'approved') && (
          <Button
            variant="default"
            leftSection={<IconArrowBackUp size={16} aria-hidden />}
            loading={withdraw.isPending}
            onClick={() => withdraw.mutate(version.id)}
          >
            Withdraw to draft
          </Button>
        )}
        <ExportMenu version={version} />
      </Group>
      <FormError error={error} />
      <Modal
        opened={publishOpen}
        onClose={() => {
          publish.reset();
          publishModal.close();
        }}
        title={`Publish version ${version.version}?`}
      >
        <Stack gap="sm">
          <Text fz="sm">
            Version {version.version} comes into force from {version.effectiveFrom}; the version in force so far retires. Period runs use it from then on.
          </Text>
          <FormError error={publish.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={publishModal.close}>
              Cancel
            </Button>
            <Button
              loading={publish.isPending}
              onClick={() =>
                publish.mutate(version.id, {
                  onSuccess: () => {
                    notifications.show({ color: 'green', message: `Version ${version.version} is in force.` });
                    publishModal.close();
                  },
                })
              }
            >
              Publish version {version.version}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
