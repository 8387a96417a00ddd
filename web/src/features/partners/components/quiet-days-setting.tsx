import { Button, Group, NumberInput } from '@mantine/core';
import { useState } from 'react';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useUpdateEngagementSettings } from '../api/engagement-settings.ts';

/** Administrators set after how many days without engagement a partner counts as quiet. */
export function QuietDaysSetting({ current }: { current: number }) {
  const [value, setValue] = useState<number | string>(current);
  const mutation = useUpdateEngagementSettings();
  return (
    <Group align="flex-end" gap="xs">
      <NumberInput label="Quiet after (days)" min={7} max={730} value={value} onChange={setValue} w={160} />
      <Button variant="default" disabled={Number(value) === current} loading={mutation.isPending} onClick={() => mutation.mutate({ quietDays: Number(value) })}>
        Save
      </Button>
      {mutation.isError && <FormError error={mutation.error} />}
    </Group>
  );
}
