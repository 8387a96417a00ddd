import { Button, Group, Modal, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useCreatePlan } from '../api/plan-mutations.ts';
import { keyFromName, planTemplate, planTemplates, type PlanTemplateId } from '../plan-templates.ts';

const commonCurrencies = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'JPY', 'AUD', 'CAD', 'SGD'];

/** A new plan from a template: a name, a key, a currency; everything else is edited in the draft. */
export function CreatePlanButton() {
  const [opened, modal] = useDisclosure(false);
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [currency, setCurrency] = useState('EUR');
  const [template, setTemplate] = useState<PlanTemplateId>('accelerator');
  const create = useCreatePlan();
  const navigate = useNavigate();
  const effectiveKey = keyTouched ? key : keyFromName(name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const document = planTemplate(template, { key: effectiveKey, name: name.trim(), currency, today: new Date() });
    create.mutate(
      { document, changeNote: `Created from the template “${planTemplates.find((t) => t.id === template)?.label ?? template}”.` },
      {
        onSuccess: (v) => {
          notifications.show({ color: 'green', message: `Plan “${v.planName}” created: version 1 is a draft.` });
          modal.close();
          void navigate(`/comp-plans/${v.planId}?version=${v.id}`);
        },
      },
    );
  };

  return (
    <>
      <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={modal.open}>
        New plan
      </Button>
      <Modal
        opened={opened}
        onClose={() => {
          create.reset();
          modal.close();
        }}
        title="New compensation plan"
        size="lg"
      >
        <form onSubmit={submit} noValidate aria-label="New compensation plan">
          <Stack gap="sm">
            <TextInput label="Plan name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus maxLength={160} />
            <SimpleGrid cols={2} spacing="sm">
              <TextInput
                label="Plan key"
                description="Lower case, unique"
                required
                value={effectiveKey}
                onChange={(e) => {
                  setKeyTouched(true);
                  setKey(e.currentTarget.value);
                }}
                maxLength={60}
              />
              <Select
                label="Currency"
                data={commonCurrencies}
                searchable
                allowDeselect={false}
                value={currency}
                onChange={(c) => c && setCurrency(c)}
                comboboxProps={{ withinPortal: true }}
              />
            </SimpleGrid>
            <Radio.Group label="Start from" value={template} onChange={(t) => setTemplate(t)}>
              <Stack gap="xs" mt={6}>
                {planTemplates.map((t) => (
                  <Radio key={t.id} value={t.id} label={t.label} description={t.description} />
                ))}
              </Stack>
            </Radio.Group>
            <Text fz="xs" c="dimmed">
              The plan starts as a draft from the next quarter on; change anything before submitting it for approval.
            </Text>
            <FormError error={create.error} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={modal.close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={name.trim() === ''}>
                Create plan
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
