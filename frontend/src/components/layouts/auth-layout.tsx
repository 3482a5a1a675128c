import { Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconBolt } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The centred card of the pages shown before the app: login, forced password change. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(`${title} · HES Core`);
  return (
    <Center mih="100dvh" p="md" bg="var(--mantine-color-body)">
      <Stack w="100%" maw={400}>
        <Group gap="xs" justify="center">
          <ThemeIcon size="lg" radius="md">
            <IconBolt size={20} />
          </ThemeIcon>
          <Text fw={700} size="xl">
            HES Core
          </Text>
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Stack>
            <Title order={2} size="h3">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </Stack>
    </Center>
  );
}
