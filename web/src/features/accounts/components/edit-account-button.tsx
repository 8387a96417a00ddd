import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil } from '@tabler/icons-react';
import type { AccountDetail } from '../../../../../common/api/accounts.ts';
import { useUpdateAccount } from '../api/update-account.ts';
import { AccountForm } from './account-form.tsx';

export function EditAccountButton({ account }: { account: AccountDetail }) {
  const [opened, { open, close }] = useDisclosure(false);
  const update = useUpdateAccount(account.id);
  const dismiss = () => {
    update.reset();
    close();
  };
  return (
    <>
      <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={open}>
        Edit
      </Button>
      <Modal opened={opened} onClose={dismiss} title={`Edit ${account.name}`} size="lg">
        {opened && (
          <AccountForm
            initial={account}
            submitLabel="Save changes"
            pending={update.isPending}
            error={update.error}
            onCancel={dismiss}
            onSubmit={(values) =>
              update.mutate(values, {
                onSuccess: () => {
                  notifications.show({ color: 'green', message: 'Account saved.' });
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
