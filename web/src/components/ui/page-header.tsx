import { Box, Breadcrumbs, Anchor, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

export interface Crumb {
  label: string;
  to?: string;
}

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
  /** document.title when it should differ from the heading */
  documentTitle?: string;
  badge?: ReactNode;
}

/** The page's h1, breadcrumbs and primary actions; also sets document.title. */
export function PageHeader({ title, description, actions, crumbs, documentTitle, badge }: PageHeaderProps) {
  useDocumentTitle(documentTitle ?? title);
  return (
    <Box mb="md">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label="Breadcrumb">
          <Breadcrumbs mb={6} fz="xs" separatorMargin={6}>
            {crumbs.map((c) =>
              c.to ? (
                <Anchor key={c.label} component={Link} to={c.to} fz="xs">
                  {c.label}
                </Anchor>
              ) : (
                <Text key={c.label} fz="xs" c="dimmed" aria-current="page">
                  {c.label}
                </Text>
              ),
            )}
          </Breadcrumbs>
        </nav>
      )}
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={2} miw={0}>
          <Group gap="xs" wrap="nowrap">
            <Title order={1} fz={22} lh={1.25}>
              {title}
            </Title>
            {badge}
          </Group>
          {description && (
            <Text c="dimmed" fz="sm">
              {description}
            </Text>
          )}
        </Stack>
        {actions && (
          <Group gap="xs" wrap="nowrap">
            {actions}
          </Group>
        )}
      </Group>
    </Box>
  );
}
