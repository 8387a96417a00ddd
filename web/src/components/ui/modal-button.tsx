import { Button, type ButtonProps, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';

interface Props {
  label: ReactNode;
  title: string;
  variant?: ButtonProps['variant'];
  icon?: ReactNode;
  size?: string;
  /** Called whenever the dialog closes (cancel, Escape, or after success): reset the mutation here. */
  onDismiss?: () => void;
  /** The dialog's content, mounted only while it is open so every opening starts fresh. */
  children: (dismiss: () => void) => ReactNode;
}

/** A button that opens a form in a modal dialog: the shape of every create and edit action. */
export function ModalButton({ label, title, variant, icon, size = 'lg', onDismiss, children }: Props) {
  const [opened, { open, close }] = useDisclosure(false);
  const dismiss = () => {
    onDismiss?.();
    close();
  };
  return (
    <>
      <Button variant={variant} leftSection={icon} onClick={open}>
        {label}
      </Button>
      <Modal opened={opened} onClose={dismiss} title={title} size={size}>
        {opened && children(dismiss)}
      </Modal>
    </>
  );
}
