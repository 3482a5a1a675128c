import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Card, Group, Progress, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAntennaBars5, IconCircleOff, IconCloudOff, IconGauge, IconPercentage, IconWifi } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { PageHeader } from '@/components/ui/page-header';
import { useAreaFilter } from '@/lib/area-filter';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import { useDashboard, type DashboardSummary } from '@/features/operations/api/get-dashboard';
import { AlertsCard } from '@/features/operations/components/alerts-card';
import { SeverityBadge } from '@/features/operations/components/severity-badge';
import { StatCard } from '@/features/operations/components/stat-card';
import { eventsLink } from '@/features/operations/hooks/use-event-filters';
import { formatKwh, formatPercent, formatTime, humanize } from '@/features/operations/utils/format';

function Panel({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={4}>{title}</Title>
          {extra}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

function EnergyChart({ summary }: { summary: DashboardSummary | undefined }) {
  if (!summary) return <Skeleton height={220} radius="sm" />;
  // A slot without readings stays null: no bar, never a bar of 0.
  const data = summary.energy_last_hour.map((point) => ({ time: formatTime(point.at), Import: point.import_kwh }));
  return (
    <BarChart
      h={220}
      data={data}
      dataKey="time"
      series={[{ name: 'Import', color: 'blue.6', label: 'Import kWh' }]}
      valueFormatter={formatKwh}
      tickLine="y"
    />
  );
}

function TopAreas({ areas }: { areas: DashboardSummary['top_areas'] }) {
  if (areas.length === 0) return <Text c="dimmed" size="sm">No consumption recorded today yet.</Text>;
  const most = Math.max(...areas.map((area) => area.import_kwh ?? 0), 0);
  return (
    <Table aria-label="Top consuming areas" verticalSpacing="xs">
      <Table.Tbody>
        {areas.map((area) => (
          <Table.Tr key={area.area_id}>
            <Table.Td w="40%">{area.area_name ?? area.area_id}</Table.Td>
            <Table.Td w="40%">
              <Progress value={most > 0 ? ((area.import_kwh ?? 0) / most) * 100 : 0} aria-hidden size="sm" />
            </Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              {formatKwh(area.import_kwh)} kWh
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function LatestEvents({ events }: { events: DashboardSummary['latest_events'] }) {
  if (events.length === 0) return <Text c="dimmed" size="sm">No events yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table aria-label="Latest events" verticalSpacing="xs" style={{ whiteSpace: 'nowrap' }}>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td>{formatDateTime(event.at)}</Table.Td>
              <Table.Td>
                {event.meter_number ? (
                  <Anchor component={Link} to={eventsLink({ meter: event.meter_number })} ff="monospace" size="sm">
                    {event.meter_number}
                  </Anchor>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>{humanize(event.type)}</Table.Td>
              <Table.Td>
                <SeverityBadge severity={event.severity} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The landing page: the fleet's presence, the active alerts, the last hour's energy and what
 * happened last, for the area chosen in the header. It asks again every few seconds.
 */
export function Dashboard() {
  const [area] = useAreaFilter();
  const dashboard = useDashboard(area);
  const summary = dashboard.data;
  const meters = summary?.meters;

  return (
    <Stack>
      <PageHeader title="Dashboard">
        {summary ? (
          <Text size="sm" c="dimmed" aria-live="polite">
            Updated {formatTime(summary.generated_at)}
          </Text>
        ) : null}
      </PageHeader>
      {dashboard.isError && !summary ? (
        <Alert color="red" title="The dashboard could not be loaded">
          {errorMessage(dashboard.error)}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 6 }}>
        <StatCard label="Total meters" value={meters?.total} icon={IconGauge} color="blue" />
        <StatCard
          label="Online now"
          value={meters?.online}
          description={meters ? `${meters.online_last_24h} seen in the last 24\u00a0h` : undefined}
          icon={IconWifi}
          color="green"
        />
        <StatCard label="Offline now" value={meters?.offline} description="Seen before, not now" icon={IconCloudOff} color="red" />
        <StatCard label="Never online" value={meters?.never_online} icon={IconCircleOff} color="gray" />
        <StatCard
          label="Online rate"
          value={meters ? formatPercent(meters.online_rate) : undefined}
          description="Online now of all meters"
          icon={IconPercentage}
          color="teal"
        />
        <AlertsCard alerts={summary?.alerts} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: area ? 1 : 2 }}>
        <Panel
          title="Energy, last hour"
          extra={
            summary ? (
              <Group gap={6}>
                <IconAntennaBars5 size={16} aria-hidden />
                <Text size="sm" fw={600}>
                  {formatKwh(summary.energy_last_hour_kwh)} kWh
                </Text>
              </Group>
            ) : null
          }
        >
          <Text size="xs" c="dimmed">
            Imported energy per 5 minutes; a slot without readings has no bar.
          </Text>
          <EnergyChart summary={summary} />
        </Panel>
        {area ? null : (
          <Panel title="Top consuming areas" extra={<Text size="xs" c="dimmed">Today</Text>}>
            {summary ? <TopAreas areas={summary.top_areas} /> : <Skeleton height={220} radius="sm" />}
          </Panel>
        )}
      </SimpleGrid>
      <Panel
        title="Latest events"
        extra={
          <Anchor component={Link} to={paths.events} size="sm">
            Event report
          </Anchor>
        }
      >
        {summary ? (
          <LatestEvents events={summary.latest_events} />
        ) : (
          <Stack gap="xs">
            {Array.from({ length: 5 }, (_, index) => (
              <Skeleton key={index} height={18} radius="sm" />
            ))}
          </Stack>
        )}
      </Panel>
    </Stack>
  );
}
