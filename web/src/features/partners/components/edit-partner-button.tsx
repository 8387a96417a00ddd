import { notifications } from '@mantine/notifications';
import { IconPencil } from '@tabler/icons-react';
import type { PartnerView } from '../../../../../common/api/partners.ts';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { useUpdatePartner } from '../api/update-partner.ts';
import { PartnerForm } from './partner-form.tsx';

export function EditPartnerButton({ partner }: { partner: PartnerView }) {
  const update = useUpdatePartner(partner.id);
  return (
    <ModalButton label="Edit" variant="default" icon={<IconPencil size={16} aria-hidden />} title={`Edit ${partner.name}`} onDismiss={update.reset}>
      {(dismiss) => (
        <PartnerForm
          initial={partner}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onCancel={dismiss}
          onSubmit={(values) =>
            update.mutate(values, {
              onSuccess: () => {
                notifications.show({ color: 'green', message: 'Partner saved.' });
                dismiss();
              },
            })
          }
        />
      )}
    </ModalButton>
  );
}
