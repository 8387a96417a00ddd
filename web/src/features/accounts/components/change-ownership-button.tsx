import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange } from '@tabler/icons-react';
import type { AccountDetail } from '../../../../../common/api/accounts.ts';
import { useSetAccountOwnership } from '../api/set-account-ownership.ts';
import { OwnershipForm } from './ownership-form.tsx';

export function ChangeOwnershipButton({ account }: { account: AccountDetail }) {
  const [opened, { open, close }] = useDisclosure(false);
  const setOwnership = useSetAccountOwnership(account.id);
  const dismiss = () => {
    setOwnership.reset();
    close();
  };
  // The open period (newest, without an end) is the one a new owner takes over from.
  const openPeriod = account.ownershipHistory.find((o) => o.endsOn === null) ?? null;
  return (
    <>
      <Button variant="default" leftSection={<IconArrowsExchange size={16} aria-hidden />} onClick={open}>
        Change ownership
      </Button>
      <Modal opened={opened} onClose={dismiss} title={`Change ownership of ${account.name}`} size="lg">
        {opened && (
          <OwnershipForm
            currentStartsOn={openPeriod?.startsOn ?? null}
            pending={setOwnership.isPending}
            error={setOwnership.error}
            onCancel={dismiss}
            onSubmit={(values) =>
              setOwnership.mutate(values, {
                onSuccess: () => {
                  notifications.show({ color: 'green', message: 'Ownership changed.' });
                  dismiss();
                },
              })
            }
          />
        )}
      </Modal>
    </>
  );
}
