import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useCreatePartner } from '../api/create-partner.ts';
import { PartnerForm } from './partner-form.tsx';

export function CreatePartnerButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreatePartner();
  const navigate = useNavigate();
  const dismiss = () => {
    create.reset();
    close();
  };
  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
        New partner
      </Button>
      <Modal opened={opened} onClose={dismiss} title="New partner" size="lg">
        <PartnerForm
          submitLabel="Create partner"
          pending={create.isPending}
          error={create.error}
          onCancel={dismiss}
          onSubmit={(values) =>
            create.mutate(values, {
              onSuccess: (partner) => {
                notifications.show({ color: 'green', message: `Partner “${partner.name}” created.` });
                dismiss();
                void navigate(`/partners/${partner.id}`);
              },
            })
          }
        />
      </Modal>
    </>
  );
}
