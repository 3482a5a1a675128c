import { BarChart, LineChart } from '@mantine/charts';
import { Alert, Anchor, Button, Card, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '@/components/ui/page-header';
import { useAreaFilter } from '@/lib/area-filter';
import { errorMessage } from '@/lib/notify';
import { useEventAnalysis, type EventAnalysis as Analysis } from '@/features/operations/api/get-events';
import { EventFilterBar } from '@/features/operations/components/event-filter-bar';
import {
  eventQuery,
  eventsLink,
  useEventFilters,
  type EventFilterValues,
} from '@/features/operations/hooks/use-event-filters';
import { daysAgo } from '@/features/operations/utils/dates';
import { humanize } from '@/features/operations/utils/format';

const PALETTE = ['red.6', 'orange.6', 'yellow.6', 'teal.6', 'blue.6', 'violet.6', 'grape.6', 'cyan.6', 'lime.6', 'pink.6', 'indigo.6', 'green.6'];

function ChartCard({ title, loading, empty, children }: { title: string; loading: boolean; empty: boolean; children: ReactNode }) {
  let body = children;
  if (loading) body = <Skeleton height={260} radius="sm" />;
  else if (empty) body = <Text c="dimmed" size="sm">No events match these filters.</Text>;
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={4}>{title}</Title>
        {body}
      </Stack>
    </Card>
  );
}

function TopMeters({ meters, filters }: { meters: Analysis['top_meters']; filters: EventFilterValues }) {
  return (
    <Table aria-label="Top meters" striped verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Meter</Table.Th>
          <Table.Th ta="right">Events</Table.Th>
          <Table.Th ta="right">Tamper</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {meters.map((meter) => (
          <Table.Tr key={meter.meter_number}>
            <Table.Td>
              <Anchor component={Link} to={eventsLink({ ...filters, meter: meter.meter_number })} ff="monospace" size="sm">
                {meter.meter_number}
              </Anchor>
            </Table.Td>
            <Table.Td ta="right">{meter.count}</Table.Td>
            <Table.Td ta="right">{meter.tamper}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Events by type over time, by area, the meters with the most events and the tamper trend. */
export function EventAnalysis() {
  const [area] = useAreaFilter();
  // Analysis reads every matching event: it starts on the last 30 days, which the user can widen.
  const { values, setValue } = useEventFilters({ from: daysAgo(29) });
  const filters = eventQuery(values, area);
  const analysis = useEventAnalysis(filters);
  const data = analysis.data;
  const loading = analysis.isPending;
  const empty = !data || data.total === 0;

  const types = data?.by_type.map((item) => item.type) ?? [];
  const byDay = data?.by_day.map((day) => ({ day: day.day, ...day.counts })) ?? [];
  const byArea = data?.by_area.map((item) => ({ area: item.area_name ?? 'No area', Events: item.count })) ?? [];
  const tamper = data?.tamper_trend.map((item) => ({ day: item.day, Tamper: item.count })) ?? [];

  return (
    <Stack>
      <PageHeader title="Event analysis">
        <Button
          component={Link}
          to={eventsLink(values)}
          variant="default"
          leftSection={<IconListDetails size={16} />}
        >
          Open as list
        </Button>
      </PageHeader>
      <EventFilterBar values={values} onChange={setValue} />
      {analysis.isError ? (
        <Alert color="red" title="The analysis could not be loaded">
          {errorMessage(analysis.error)}
        </Alert>
      ) : null}
      <Text size="sm" c="dimmed" aria-live="polite">
        {data ? `${data.total} events` : ' '}
      </Text>
      <ChartCard title="Events by type per day" loading={loading} empty={empty}>
        <BarChart
          h={300}
          data={byDay}
          dataKey="day"
          type="stacked"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          series={types.map((type, index) => ({ name: type, label: humanize(type), color: PALETTE[index % PALETTE.length] }))}
        />
      </ChartCard>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ChartCard title="Events by area" loading={loading} empty={empty}>
          <BarChart
            h={Math.max(160, byArea.length * 36)}
            data={byArea}
            dataKey="area"
            orientation="vertical"
            yAxisProps={{ width: 120 }}
            series={[{ name: 'Events', color: 'blue.6' }]}
          />
        </ChartCard>
        <ChartCard title="Top meters" loading={loading} empty={empty}>
          <TopMeters meters={data?.top_meters ?? []} filters={values} />
        </ChartCard>
      </SimpleGrid>
      <ChartCard title="Tamper trend" loading={loading} empty={empty}>
        <LineChart
          h={240}
          data={tamper}
          dataKey="day"
          connectNulls={false}
          curveType="linear"
          series={[{ name: 'Tamper', label: 'Tamper events', color: 'red.6' }]}
        />
      </ChartCard>
    </Stack>
  );
}
