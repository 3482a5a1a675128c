import { Card, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconBellRinging, IconCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import type { DashboardSummary } from '@/features/operations/api/get-dashboard';
import classes from '@/features/operations/components/alerts-card.module.css';

/**
 * The active alerts, opening the inbox: it pulses in red while any alert is active (a steady glow
 * for reduced motion) and stays calm at zero.
 */
export function AlertsCard({ alerts }: { alerts: DashboardSummary['alerts'] | undefined }) {
  const alerting = (alerts?.active ?? 0) > 0;
  return (
    <Card
      component={Link}
      to={paths.alerts}
      withBorder
      padding="md"
      aria-label={alerts ? `Active alerts: ${alerts.active}, ${alerts.critical} critical` : 'Active alerts'}
      data-alerting={alerting}
      className={alerting ? classes.alerting : undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Text size="xs" c={alerting ? 'red' : 'dimmed'} tt="uppercase" fw={700}>
            Active alerts
          </Text>
          {alerts ? (
            <>
              <Text fz={28} fw={700} lh={1.1} c={alerting ? 'red' : undefined}>
                {alerts.active}
              </Text>
              <Text size="xs" c="dimmed">
                {alerting ? `${alerts.critical} critical · open the inbox` : 'All clear'}
              </Text>
            </>
          ) : (
            <Skeleton height={30} width={80} radius="sm" />
          )}
        </Stack>
        <ThemeIcon variant={alerting ? 'filled' : 'light'} color={alerting ? 'red' : 'green'} size="lg" radius="md" aria-hidden>
          {alerting ? <IconBellRinging size={20} /> : <IconCheck size={20} />}
        </ThemeIcon>
      </Group>
    </Card>
  );
}
