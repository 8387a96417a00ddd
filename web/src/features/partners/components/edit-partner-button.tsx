import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPencil } from '@tabler/icons-react';
import type { PartnerView } from '../../../../../common/api/partners.ts';
import { useUpdatePartner } from '../api/update-partner.ts';
import { PartnerForm } from './partner-form.tsx';

export function EditPartnerButton({ partner }: { partner: PartnerView }) {
  const [opened, { open, close }] = useDisclosure(false);
  const update = useUpdatePartner(partner.id);
  const dismiss = () => {
    update.reset();
    close();
  };
  return (
    <>
      <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={open}>
        Edit
      </Button>
      <Modal opened={opened} onClose={dismiss} title={`Edit ${partner.name}`} size="lg">
        {opened && (
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
      </Modal>
    </>
  );
}
