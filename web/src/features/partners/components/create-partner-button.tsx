import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { useCreatePartner } from '../api/create-partner.ts';
import { PartnerForm } from './partner-form.tsx';

export function CreatePartnerButton() {
  const create = useCreatePartner();
  const navigate = useNavigate();
  return (
    <ModalButton label="New partner" icon={<IconPlus size={16} aria-hidden />} title="New partner" onDismiss={create.reset}>
      {(dismiss) => (
        <PartnerForm
          submitLabel="Create partner"
          pending={create.isPending}
          error={create.error}
          onCancel={dismiss}
          onSubmit={(values) =>
            create.mutate(values, {
              onSuccess: (created) => {
                notifications.show({ color: 'green', message: `Partner “${created.name}” created.` });
                dismiss();
                void navigate(`/partners/${created.id}`);
              },
            })
          }
        />
      )}
    </ModalButton>
  );
}
