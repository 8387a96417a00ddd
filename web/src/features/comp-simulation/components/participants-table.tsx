import { Group, Paper, SegmentedControl, Select, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { SimulationParticipantResult, SimulationRunResult } from '../../../../../common/api/comp-simulation.ts';
import { EmptyRows } from '../../../components/ui/empty-rows.tsx';
import { Pager } from '../../../components/ui/pager.tsx';
import { money, percent, signedMoney } from '../simulation-format.ts';

type SortKey = { by: 'name' } | { by: 'total' | 'change'; plan: number };
type Direction = 'ascending' | 'descending';
type Filter = 'all' | 'winners' | 'losers';

const PAGE = 50;

function valueOf(p: SimulationParticipantResult, key: SortKey): number | string {
  if (key.by === 'name') return p.name.toLocaleLowerCase();
  const r = p.plans[key.plan];
  return key.by === 'total' ? (r?.totalMinor ?? 0) : (r?.changeMinor ?? 0);
}

function SortHeader({ label, active, direction, onClick }: { label: string; active: boolean; direction: Direction; onClick: () => void }) {
  const Icon = !active ? IconArrowsSort : direction === 'ascending' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th scope="col" ta={label === 'Participant' ? undefined : 'right'} aria-sort={active ? direction : 'none'}>
      <UnstyledButton onClick={onClick} fz="sm" fw={700}>
        <Group gap={4} wrap="nowrap" justify={label === 'Participant' ? 'flex-start' : 'flex-end'}>
          {label}
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** Every participant's earnings under each plan and the change against the baseline; sortable, filtered to the winners or losers of a candidate. */
export function ParticipantsTable({ result }: { result: SimulationRunResult }) {
  const cur = result.currency;
  const candidates = result.plans.map((p, i) => ({ p, i })).filter(({ p }) => !p.baseline);
  const [compared, setCompared] = useState(candidates[0]?.i ?? 1);
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction }>({ key: { by: 'change', plan: compared }, direction: 'descending' });
  const [offset, setOffset] = useState(0);

  const rows = useMemo(() => {
    const q = search.trim().toLocaleLowerCase();
    const filtered = result.participants.filter((p) => {
      const change = p.plans[compared]?.changeMinor ?? 0;
      if (filter === 'winners' && change <= 0) return false;
      if (filter === 'losers' && change >= 0) return false;
      return q === '' || p.name.toLocaleLowerCase().includes(q) || (p.team ?? '').toLocaleLowerCase().includes(q);
    });
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return [...filtered].sort((a, b) => {
      const x = valueOf(a, sort.key);
      const y = valueOf(b, sort.key);
      return (x < y ? -1 : x > y ? 1 : 0) * sign || a.name.localeCompare(b.name);
    });
  }, [result, compared, filter, search, sort]);

  const isActive = (key: SortKey) => sort.key.by === key.by && (key.by === 'name' || (sort.key.by !== 'name' && sort.key.plan === key.plan));
  const toggle = (key: SortKey) => {
    setOffset(0);
    setSort((s) => ({ key, direction: isActive(key) && s.direction === 'descending' ? 'ascending' : 'descending' }));
  };
  const page = rows.slice(offset, offset + PAGE);

  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="participants-title">
      <Title id="participants-title" order={2} fz="md" mb={4}>
        Participants
      </Title>
      <Text fz="xs" c="dimmed" mb="sm">
        What each participant earns in the period under each plan; the change is against the baseline. Sort by any column.
      </Text>
      <Group mb="sm" align="flex-end">
        <SegmentedControl
          aria-label="Show"
          value={filter}
          onChange={(v) => {
            setFilter(v);
            setOffset(0);
          }}
          data={[
            { value: 'all', label: 'Everyone' },
            { value: 'winners', label: 'Winners' },
            { value: 'losers', label: 'Losers' },
          ]}
        />
        {candidates.length > 1 && (
          <Select
            label="Winners and losers under"
            data={candidates.map(({ p, i }) => ({ value: String(i), label: p.planKey }))}
            value={String(compared)}
            onChange={(v) => {
              if (v !== null) setCompared(Number(v));
              setOffset(0);
            }}
            allowDeselect={false}
          />
        )}
        <TextInput
          label="Find"
          placeholder="Name or team"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
        />
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover fz="sm" aria-label="Earnings per participant and plan">
          <Table.Thead>
            <Table.Tr>
              <SortHeader label="Participant" active={isActive({ by: 'name' })} direction={sort.direction} onClick={() => toggle({ by: 'name' })} />
              {result.plans.flatMap((p, i) => [
                <SortHeader
                  key={`t${i}`}
                  label={p.planKey}
                  active={isActive({ by: 'total', plan: i })}
                  direction={sort.direction}
                  onClick={() => toggle({ by: 'total', plan: i })}
                />,
                ...(p.baseline
                  ? []
                  : [
                      <SortHeader
                        key={`c${i}`}
                        label={`Change (${p.planKey})`}
                        active={isActive({ by: 'change', plan: i })}
                        direction={sort.direction}
                        onClick={() => toggle({ by: 'change', plan: i })}
                      />,
                    ]),
              ])}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.length === 0 ? (
              <EmptyRows colSpan={1 + result.plans.length * 2 - 1}>No participant matches.</EmptyRows>
            ) : (
              page.map((p) => (
                <Table.Tr key={p.participantId}>
                  <Table.Th scope="row" fw={500}>
                    {p.name}
                    {p.team && (
                      <Text span fz="xs" c="dimmed">
                        {' '}
                        · {p.team}
                      </Text>
                    )}
                  </Table.Th>
                  {p.plans.flatMap((r, i) => [
                    <Table.Td key={`t${i}`} ta="right">
                      {money(r.totalMinor, cur)}
                    </Table.Td>,
                    ...(result.plans[i]?.baseline
                      ? []
                      : [
                          <Table.Td key={`c${i}`} ta="right" c={r.changeMinor > 0 ? 'teal.9' : r.changeMinor < 0 ? 'red.9' : undefined}>
                            {signedMoney(r.changeMinor, cur)} ({percent(r.changeBps, true)})
                          </Table.Td>,
                        ]),
                  ])}
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager total={rows.length} limit={PAGE} offset={offset} onOffsetChange={setOffset} noun="participants" />
    </Paper>
  );
}
