import { Select, TextInput } from '@mantine/core';

export interface PartnerFilterValues {
  tier: string;
  status: string;
  region: string;
  specialisation: string;
}
export const noPartnerFilters: PartnerFilterValues = { tier: '', status: '', region: '', specialisation: '' };

/** Directory filters beside the search box; the parent debounces and sends them. */
export function PartnerFilters({ value, onChange }: { value: PartnerFilterValues; onChange: (v: PartnerFilterValues) => void }) {
  return (
    <>
      <TextInput label="Tier" placeholder="any" value={value.tier} onChange={(e) => onChange({ ...value, tier: e.currentTarget.value })} w={120} />
      <Select
        label="Status"
        placeholder="any"
        clearable
        value={value.status || null}
        onChange={(v) => onChange({ ...value, status: v ?? '' })}
        data={['prospect', 'active', 'inactive', 'suspended']}
        w={140}
      />
      <TextInput label="Region" placeholder="any" value={value.region} onChange={(e) => onChange({ ...value, region: e.currentTarget.value })} w={120} />
      <TextInput
        label="Specialisation"
        placeholder="any"
        value={value.specialisation}
        onChange={(e) => onChange({ ...value, specialisation: e.currentTarget.value })}
        w={160}
      />
    </>
  );
}
