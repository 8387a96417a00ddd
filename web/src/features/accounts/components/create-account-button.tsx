import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useCreateAccount } from '../api/create-account.ts';
import { AccountForm } from './account-form.tsx';

export function CreateAccountButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreateAccount();
  const navigate = useNavigate();
  const dismiss = () => {
    create.reset();
    close();
  };
  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
        New account
      </Button>
      <Modal opened={opened} onClose={dismiss} title="New account" size="lg">
        {opened && (
          <AccountForm
            submitLabel="Create account"
            pending={create.isPending}
            error={create.error}
            onCancel={dismiss}
            onSubmit={(values) =>
              create.mutate(values, {
                onSuccess: (account) => {
                  notifications.show({ color: 'green', message: `Account “${account.name}” created.` });
                  dismiss();
                  void navigate(`/accounts/${account.id}`);
                },
              })
            }
          />
        )}
      </Modal>
    </>
  );
}
