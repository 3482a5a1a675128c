import { Box, Group, Text } from '@mantine/core';

/** A green dot with "Online" or a red one with "Offline". */
export function OnlineDot({ online }: { online: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Box
        aria-hidden
        w={10}
        h={10}
        bg={online ? 'green.6' : 'red.6'}
        style={{ borderRadius: '50%', flex: 'none' }}
      />
      <Text size="sm" c={online ? undefined : 'dimmed'}>
        {online ? 'Online' : 'Offline'}
      </Text>
    </Group>
  );
}
