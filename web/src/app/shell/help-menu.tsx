import { ActionIcon, Menu, Tooltip } from '@mantine/core';
import { IconApi, IconExternalLink, IconHelpCircle } from '@tabler/icons-react';

export function HelpMenu() {
  return (
    <Menu position="bottom-end" width={220} shadow="md">
      <Menu.Target>
        <Tooltip label="Help">
          <ActionIcon variant="subtle" color="white" size="lg" aria-label="Help">
            <IconHelpCircle size={20} stroke={1.6} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Help</Menu.Label>
        <Menu.Item
          component="a"
          href="/api/docs"
          target="_blank"
          rel="noopener"
          leftSection={<IconApi size={16} aria-hidden />}
          rightSection={<IconExternalLink size={14} aria-hidden />}
        >
          API documentation
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
