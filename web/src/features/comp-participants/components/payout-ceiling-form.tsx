import { Alert, Button, Group, List, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { CompSettingsView } from '../../../../../common/api/comp-plans.ts';
import { parseMajorAmount } from '../../../../../common/money.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useUpdateCompSettings } from '../api/settings.ts';

/**
 * The ceiling is stored in minor units and applies in each plan's own currency; the form converts
 * with the digits of a currency chosen only for that conversion (two for almost every currency).
 */
const digitChoices = [
  { value: '2', label: '2 decimals (EUR, USD, GBP, …)' },
  { value: '0', label: 'No decimals (JPY, KRW)' },
  { value: '3', label: '3 decimals (BHD, KWD)' },
];
const currencyForDigits: Record<string, string> = { '2': 'EUR', '0': 'JPY', '3': 'KWD' };

function majorText(minor: number | null, digits: number): string {
  if (minor === null) return '';
  const negative = minor < 0;
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return `${negative ? '-' : ''}${text}`;
}

const grouped = (text: string) => text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The payout ceiling: the most any plan may pay one participant in one payout period. */
export function PayoutCeilingForm({ settings, canChange }: { settings: CompSettingsView; canChange: boolean }) {
  const [digits, setDigits] = useState('2');
  const [text, setText] = useState(majorText(settings.payoutCeilingMinor, 2));
  const update = useUpdateCompSettings();
  const trimmed = text.trim().replace(/[\s,_]/g, '');
  let parsed: number | null = null;
  let problem: string | undefined;
  if (trimmed !== '') {
    try {
      parsed = parseMajorAmount(trimmed, currencyForDigits[digits] ?? 'EUR');
      if (parsed < 0) problem = 'The ceiling cannot be negative';
    } catch {
      problem = `Enter an amount such as 25000${digits === '0' ? '' : digits === '3' ? '.500' : '.50'}, or leave it empty for no ceiling`;
    }
  }
  const unchanged = problem === undefined && parsed === settings.payoutCeilingMinor;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem !== undefined) return;
    update.mutate(
      { payoutCeilingMinor: parsed },
      {
        onSuccess: (s) =>
          notifications.show({
            color: 'green',
            message: s.payoutCeilingMinor === null ? 'No payout ceiling: plans may pay any amount.' : 'Payout ceiling saved.',
          }),
      },
    );
  };

  const current = settings.payoutCeilingMinor;
  const d = Number(digits);
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="ceiling-title" maw={760}>
      <Title order={2} fz="md" id="ceiling-title" mb="xs">
        Payout ceiling
      </Title>
      <Stack gap="sm">
        <Text fz="sm">
          The most any plan may pay one participant in one payout period (a month, quarter or year, as the plan says), in the plan’s own currency. It is a guard
          against plans that could pay without limit:
        </Text>
        <List size="sm" spacing={2}>
          <List.Item>
            A plan whose components could together pay more than the ceiling in a period (an uncapped commission, caps that add up to more) is refused when its
            draft is saved, when it is submitted for approval and when it is published; the problem names the components to cap.
          </List.Item>
          <List.Item>Plans already published are not changed; their next version is checked against the ceiling.</List.Item>
          <List.Item>Empty means no ceiling: any plan may pay any amount.</List.Item>
        </List>
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} aria-hidden />} py="xs">
          <Text fz="sm" aria-live="polite">
            {current === null ? 'No ceiling is set now.' : `The ceiling now: ${grouped(majorText(current, d))} in each plan’s currency.`}
          </Text>
        </Alert>
        {canChange ? (
          <form onSubmit={submit} noValidate aria-label="Payout ceiling">
            <Stack gap="sm">
              <Group align="flex-start" gap="sm">
                <TextInput
                  label="Ceiling per participant and period"
                  description="In major units, e.g. 50000; empty: no ceiling"
                  inputMode="decimal"
                  value={text}
                  onChange={(e) => setText(e.currentTarget.value)}
                  error={problem}
                  w={280}
                />
                <Select
                  label="Decimals of the plans’ currencies"
                  description="How many minor units a major unit has"
                  data={digitChoices}
                  value={digits}
                  allowDeselect={false}
                  onChange={(v) => {
                    if (!v) return;
                    setDigits(v);
                    setText(majorText(settings.payoutCeilingMinor, Number(v)));
                  }}
                  w={280}
                  comboboxProps={{ withinPortal: true }}
                />
              </Group>
              <FormError error={update.error} />
              <Group gap="xs">
                <Button type="submit" loading={update.isPending} disabled={problem !== undefined || unchanged}>
                  Save ceiling
                </Button>
                {current !== null && (
                  <Button variant="default" onClick={() => setText('')} disabled={text === ''}>
                    Remove the ceiling
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
        ) : (
          <Text fz="sm" c="dimmed">
            Administrators, compensation administrators and finance change the ceiling.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
