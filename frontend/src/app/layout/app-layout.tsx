import { AppShell, Burger, Group, ScrollArea, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBolt } from '@tabler/icons-react';
import { Outlet } from 'react-router';
import { Navigation } from '@/app/layout/navigation';
import { ThemeMenu } from '@/components/theme-menu';
import { useUser } from '@/lib/auth';
import { permissionsFor } from '@/lib/authorization';
import { AreaSelector } from '@/features/areas/components/area-selector';
import { UserMenu } from '@/features/auth/components/user-menu';

export function AppLayout() {
  const [navbarOpened, navbar] = useDisclosure(false);
  const user = useUser().data;
  if (!user) return null;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={navbarOpened}
              onClick={navbar.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <ThemeIcon size="md" radius="md" aria-hidden>
              <IconBolt size={18} />
            </ThemeIcon>
            <Text fw={700} size="lg" visibleFrom="xs">
              HES Core
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {permissionsFor(user).isCustomer ? null : <AreaSelector />}
            <ThemeMenu />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          <Navigation user={user} onNavigate={navbar.close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
