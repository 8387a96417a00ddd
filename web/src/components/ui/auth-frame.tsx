import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The centred card used by sign-in and first-run setup. */
export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Box mih="100vh" bg="gray.1">
      <Box component="header" bg="realign.9" px="lg" py={12}>
        <Group gap={8}>
          <svg width={26} height={26} viewBox="0 0 32 32" aria-hidden focusable="false">
            <rect width="32" height="32" rx="7" fill="rgba(255,255,255,.16)" />
            <path d="M10 24V8h7a4.5 4.5 0 0 1 0 9h-3.5m3.5 0 5.5 7" stroke="white" strokeWidth="2.8" fill="none" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <Text c="white" fw={700} fz="lg">
            Realign
          </Text>
        </Group>
      </Box>
      <Center component="main" px="md" py={64}>
        <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={420}>
          <Stack gap={4} mb="lg">
            <Title order={1} fz={22}>
              {title}
            </Title>
            {subtitle && (
              <Text c="dimmed" fz="sm">
                {subtitle}
              </Text>
            )}
          </Stack>
          {children}
        </Paper>
      </Center>
    </Box>
  );
}
