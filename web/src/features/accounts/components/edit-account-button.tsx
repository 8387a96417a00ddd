import { notifications } from '@mantine/notifications';
import { IconPencil } from '@tabler/icons-react';
import type { AccountDetail } from '../../../../../common/api/accounts.ts';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { useUpdateAccount } from '../api/update-account.ts';
import { AccountForm } from './account-form.tsx';

export function EditAccountButton({ account }: { account: AccountDetail }) {
  const update = useUpdateAccount(account.id);
  return (
    <ModalButton label="Edit" variant="default" icon={<IconPencil size={16} aria-hidden />} title={`Edit ${account.name}`} onDismiss={update.reset}>
      {(dismiss) => (
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
    </ModalButton>
  );
}
