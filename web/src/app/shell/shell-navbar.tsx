import { NavLink, ScrollArea, Stack } from '@mantine/core';
import { Link, matchPath, useLocation } from 'react-router';
import { AreaIcon } from '../area-icon.tsx';
import type { Area, AreaGroup } from '../areas.ts';

function isActive(area: Area, pathname: string): boolean {
  if (area.path === '/') return pathname === '/';
  return matchPath({ path: area.path, end: false }, pathname) !== null;
}

export function ShellNavbar({ groups }: { groups: AreaGroup[] }) {
  const { pathname } = useLocation();
  return (
    <ScrollArea type="auto" px={8} py={8} style={{ flex: 1 }}>
      <Stack gap={0}>
        {groups.map((group) => (
          <div key={group.label ?? 'top'} role="group" aria-label={group.label ?? 'Home'}>
            {group.label && (
              <div className="nav-group-label" aria-hidden>
                {group.label}
              </div>
            )}
            {group.areas.map((area) => {
              const active = isActive(area, pathname);
              return (
                <NavLink
                  key={area.id}
                  component={Link}
                  to={area.path}
                  label={area.label}
                  leftSection={<AreaIcon name={area.icon} />}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  py={6}
                  style={{ borderRadius: 4 }}
                  fw={active ? 600 : 500}
                />
              );
            })}
          </div>
        ))}
      </Stack>
    </ScrollArea>
  );
}
