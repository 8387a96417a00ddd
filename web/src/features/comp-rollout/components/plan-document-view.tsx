import { Badge, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { DocTable, PlanDocumentView } from '../../../../../common/api/comp-rollout.ts';

function DocumentTable({ table }: { table: DocTable }) {
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table withTableBorder withColumnBorders fz="sm" captionSide="top">
        <Table.Caption style={{ textAlign: 'left', fontWeight: 600 }}>{table.caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {table.columns.map((c) => (
              <Table.Th key={c}>{c}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((r, i) => (
            <Table.Tr key={i}>
              {r.map((c, j) => (
                <Table.Td key={j}>{c}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Title order={2} fz="lg" id={id} mb="xs">
        {title}
      </Title>
      <Stack gap="xs">{children}</Stack>
    </Paper>
  );
}

const paragraphs = (items: readonly string[]) =>
  items.map((s) => (
    <Text key={s} fz="sm">
      {s}
    </Text>
  ));

/** The plan document (the same content as its HTML and PDF renderings): plan, components, quota, examples, terms. */
export function PlanDocumentContent({ doc }: { doc: PlanDocumentView }) {
  return (
    <Stack gap="md">
      <Section id="doc-plan" title="Your plan">
        {paragraphs(doc.overview)}
      </Section>
      <Section id="doc-components" title="What you are paid for">
        {doc.components.map((c) => (
          <Stack key={c.key} gap={6} component="section" aria-labelledby={`doc-c-${c.key}`}>
            <Group gap="xs">
              <Title order={3} fz="md" id={`doc-c-${c.key}`}>
                {c.name}
              </Title>
              <Badge variant="light" size="sm">
                {c.kindLabel}
              </Badge>
            </Group>
            {c.description && (
              <Text fz="sm" c="dimmed">
                {c.description}
              </Text>
            )}
            {paragraphs(c.sentences)}
            {c.tables.map((t) => (
              <DocumentTable key={t.caption} table={t} />
            ))}
          </Stack>
        ))}
      </Section>
      <Section id="doc-quota" title="Your quota">
        {paragraphs(doc.quota.sentences)}
        <DocumentTable
          table={{
            caption: 'Your quota by payout period',
            columns: ['Period', 'Quota', 'Your quota (prorated)'],
            rows: doc.quota.periods.map((p) => [p.label, p.quotaText, p.proratedText]),
          }}
        />
      </Section>
      <Section id="doc-examples" title="Examples">
        {doc.examples ? (
          <>
            <Text fz="sm">What the plan would pay you, calculated by the same engine that calculates your pay:</Text>
            <List size="sm">
              {doc.examples.assumptions.map((a) => (
                <List.Item key={a}>{a}</List.Item>
              ))}
            </List>
            <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="sm">
              {doc.examples.cases.map((x) => (
                <Paper key={x.label} withBorder radius="md" p="sm" component="section" aria-label={x.label}>
                  <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
                    {x.label}
                  </Text>
                  <Text fz={22} fw={700}>
                    {x.totalText}
                  </Text>
                  <Text fz="xs" c="dimmed" mb="xs">
                    Credit {x.creditText}
                  </Text>
                  <Table fz="xs" withTableBorder>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Component</Table.Th>
                        <Table.Th style={{ textAlign: 'right' }}>Amount</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {x.lines.map((l, i) => (
                        <Table.Tr key={i}>
                          <Table.Td>
                            <Text fz="xs" fw={500}>
                              {l.componentName}
                            </Text>
                            <Text fz="xs" c="dimmed">
                              {l.explanation}
                            </Text>
                          </Table.Td>
                          <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{l.amountText}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Paper>
              ))}
            </SimpleGrid>
          </>
        ) : (
          <Text fz="sm">{doc.examplesNote}</Text>
        )}
      </Section>
      <Section id="doc-terms" title="Terms">
        {paragraphs(doc.terms)}
      </Section>
    </Stack>
  );
}
