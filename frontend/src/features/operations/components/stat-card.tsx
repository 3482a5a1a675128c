import { Card, Group, Skeleton, Stack, Text, ThemeIcon, type MantineColor } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface StatCardProps {
  label: string;
  /** Undefined while loading: a skeleton stands in. */
  value: ReactNode | undefined;
  description?: ReactNode;
  icon: Icon;
  color?: MantineColor;
}

/** One figure with its label, for the summary rows of the dashboard and the online-rate page. */
export function StatCard({ label, value, description, icon: CardIcon, color = 'gray' }: StatCardProps) {
  return (
    <Card withBorder padding="md" component="section" aria-label={label}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          {value === undefined ? (
            <Skeleton height={30} width={80} radius="sm" />
          ) : (
            <Text fz={28} fw={700} lh={1.1}>
              {value}
            </Text>
          )}
          {description && value !== undefined ? (
            <Text size="xs" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
        <ThemeIcon variant="light" color={color} size="lg" radius="md" aria-hidden>
          <CardIcon size={20} />
        </ThemeIcon>
      </Group>
    </Card>
  );
}
