import { Badge, Box, Group, Text } from '@mantine/core';

const Dot = ({ online, size = 8 }: { online: boolean; size?: number }) => (
  <Box
    aria-hidden
    w={size}
    h={size}
    bg={online ? 'green.6' : 'red.6'}
    style={{ borderRadius: '50%', flex: 'none' }}
  />
);

/** A green "Online" or red "Offline" badge: whether the meter was heard within the online window. */
export function OnlineBadge({ online }: { online: boolean }) {
  return (
    <Badge
      color={online ? 'green' : 'red'}
      variant="light"
      leftSection={<Dot online={online} />}
      styles={{ label: { overflow: 'visible' } }}
    >
      {online ? 'Online' : 'Offline'}
    </Badge>
  );
}

/** A green or red dot with "Online" / "Offline", for tables and lists. */
export function OnlineIndicator({ online, size = 'sm' }: { online: boolean; size?: 'xs' | 'sm' }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Dot online={online} />
      <Text size={size} c={online ? undefined : 'dimmed'}>
        {online ? 'Online' : 'Offline'}
      </Text>
    </Group>
  );
}

const RELAY: Record<string, { label: string; color: string }> = {
  connected: { label: 'Relay connected', color: 'green' },
  disconnected: { label: 'Relay disconnected', color: 'red' },
};

/** The relay state last read from the meter; unknown until a relay command or read has read it. */
export function RelayBadge({ state }: { state: string | null }) {
  const known = state ? RELAY[state] : undefined;
  return (
    <Badge color={known?.color ?? 'gray'} variant="light" styles={{ label: { overflow: 'visible' } }}>
      {known?.label ?? 'Relay state unknown'}
    </Badge>
  );
}
