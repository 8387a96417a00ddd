import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { usePushOffer } from '../api/push-offer.ts';
import { PushOfferForm } from './push-offer-form.tsx';

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function PushOfferButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const push = usePushOffer();
  const dismiss = () => {
    push.reset();
    close();
  };
  return (
    <>
      <Button leftSection={<IconSend size={16} aria-hidden />} onClick={open}>
        Push an offer
      </Button>
      <Modal opened={opened} onClose={dismiss} title="Push an offer to a partner" size="lg">
        {opened && (
          <PushOfferForm
            pending={push.isPending}
            error={push.error}
            today={localToday()}
            onCancel={dismiss}
            onSubmit={(body) =>
              push.mutate(body, {
                onSuccess: (offer) => {
                  notifications.show({ color: 'green', message: `Offer for ${offer.endCustomerName} sent to ${offer.partnerName ?? 'the partner'}.` });
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
