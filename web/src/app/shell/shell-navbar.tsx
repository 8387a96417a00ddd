import { NavLink, ScrollArea, Stack } from '@mantine/core';
import { Fragment } from 'react';
import { Link, matchPath, useLocation } from 'react-router';
import { AreaIcon } from '../area-icon.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { sectionsFor, type Area, type AreaGroup } from '../areas.ts';

function isActive(area: Area, pathname: string): boolean {
  if (area.path === '/') return pathname === '/';
  return matchPath({ path: area.path, end: false }, pathname) !== null;
}

export function ShellNavbar({ groups }: { groups: AreaGroup[] }) {
  const { pathname } = useLocation();
  const { user } = useCurrentSession();
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
              const sections = active ? sectionsFor(area, user.roles) : [];
              // The deepest matching section is the current one ("/comp-plans/settings" is not also "/comp-plans").
              const current = sections
                .filter((x) => matchPath({ path: x.path, end: false }, pathname) !== null)
                .reduce<string | null>((best, x) => (best === null || x.path.length > best.length ? x.path : best), null);
              const inSection = current !== null;
              return (
                <Fragment key={area.id}>
                  <NavLink
                    component={Link}
                    to={area.path}
                    label={area.label}
                    leftSection={<AreaIcon name={area.icon} />}
                    active={active && !inSection}
                    aria-current={active && !inSection ? 'page' : undefined}
                    py={6}
                    style={{ borderRadius: 4 }}
                    fw={active ? 600 : 500}
                  />
                  {/* An open area shows its sections beneath it. */}
                  {sections.map((section) => {
                    const here = section.path === current;
                    return (
                      <NavLink
                        key={section.path}
                        component={Link}
                        to={section.path}
                        label={section.label}
                        active={here}
                        aria-current={here ? 'page' : undefined}
                        py={4}
                        pl={42}
                        style={{ borderRadius: 4 }}
                        fz="sm"
                        fw={here ? 600 : 500}
                      />
                    );
                  })}
                </Fragment>
              );
            })}
          </div>
        ))}
      </Stack>
    </ScrollArea>
  );
}
