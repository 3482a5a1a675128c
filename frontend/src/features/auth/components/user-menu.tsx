import { ActionIcon, Avatar, Group, Menu, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconKey, IconLogout } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { paths } from '@/config/paths';
import { useUser } from '@/lib/auth';
import { useLogout } from '@/features/auth/api/logout';

export function UserMenu() {
  const user = useUser().data;
  const logout = useLogout();
  const navigate = useNavigate();
  if (!user) return null;

  return (
    <Group gap={4} wrap="nowrap">
      <Menu position="bottom-end" width={220}>
        <Menu.Target>
          <UnstyledButton aria-label="User menu">
            <Group gap={6} wrap="nowrap">
              <Avatar size="sm" color="initials" name={user.full_name || user.username} />
              <Text size="sm" fw={500} visibleFrom="sm">
                {user.username}
              </Text>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="sm" fw={600} c="var(--mantine-color-text)">
              {user.full_name || user.username}
            </Text>
            <Text size="xs">
              {user.username} · {user.role}
            </Text>
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item leftSection={<IconKey size={16} />} onClick={() => void navigate(paths.changePassword)}>
            Change password
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => logout.mutate()}>
            Log out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Tooltip label="Log out">
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Log out" loading={logout.isPending} onClick={() => logout.mutate()}>
          <IconLogout size={18} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
