import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { useCreateAccount } from '../api/create-account.ts';
import { AccountForm } from './account-form.tsx';

export function CreateAccountButton() {
  const create = useCreateAccount();
  const navigate = useNavigate();
  return (
    <ModalButton label="New account" icon={<IconPlus size={16} aria-hidden />} title="New account" onDismiss={create.reset}>
      {(dismiss) => (
        <AccountForm
          submitLabel="Create account"
          pending={create.isPending}
          error={create.error}
          onCancel={dismiss}
          onSubmit={(values) =>
            create.mutate(values, {
              onSuccess: (created) => {
                notifications.show({ color: 'green', message: `Account “${created.name}” created.` });
                dismiss();
                void navigate(`/accounts/${created.id}`);
              },
            })
          }
        />
      )}
    </ModalButton>
  );
}
