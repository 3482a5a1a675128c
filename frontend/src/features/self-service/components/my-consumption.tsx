import { BarChart } from '@mantine/charts';
import {
  Alert,
  Button,
  Card,
  ScrollArea,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconFileTypeCsv, IconFileTypePdf } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '@/lib/notify';
import { useDownload } from '@/lib/csv';
import { formatKwh, humanize } from '@/features/operations/utils/format';
import { daysAgo, isoDay } from '@/features/operations/utils/dates';
import {
  GRANULARITIES,
  downloadMyConsumption,
  useMyConsumption,
  type ConsumptionPeriod,
  type DownloadFormat,
  type Granularity,
  type MyConsumption as Consumption,
} from '@/features/self-service/api/my-meters';
import { DateRangeInputs } from '@/components/ui/date-range-inputs';

type Range = { from: string; to: string };

/** Today by the hour, the last 30 days by the day, 12 weeks by the week, 12 months by the month. */
export function defaultRange(granularity: Granularity, today = new Date()): Range {
  const to = isoDay(today);
  if (granularity === 'hourly') return { from: to, to };
  if (granularity === 'weekly') return { from: daysAgo(7 * 12 - 1, today), to };
  if (granularity === 'monthly') return { from: isoDay(new Date(today.getFullYear(), today.getMonth() - 11, 1)), to };
  return { from: daysAgo(29, today), to };
}

/** An hour period ("2026-10-05T14") as "14:00"; days, weeks and months as they come. */
const periodLabel = (period: string) => (period.includes('T') ? `${period.slice(11)}:00` : period);

function Periods({ consumption }: { consumption: Consumption }) {
  const data = consumption.series.map((point) => ({ period: periodLabel(point.period), Energy: point.import_kwh }));
  return (
    <>
      <BarChart
        h={240}
        data={data}
        dataKey="period"
        valueFormatter={formatKwh}
        series={[{ name: 'Energy', label: 'Energy used (kWh)', color: 'blue.6' }]}
      />
      <ScrollArea.Autosize mah={280} type="auto">
        <Table aria-label="Energy per period" striped stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Period</Table.Th>
              <Table.Th ta="right">kWh</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {consumption.series.map((point) => (
              <Table.Tr key={point.period}>
                <Table.Td>{point.period.replace('T', ' ')}</Table.Td>
                <Table.Td ta="right" c={point.import_kwh === null ? 'dimmed' : undefined}>
                  {formatKwh(point.import_kwh)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </>
  );
}

function Downloads({ onDownload }: { onDownload: (format: DownloadFormat) => Promise<void> }) {
  const csv = useDownload(() => onDownload('csv'));
  const pdf = useDownload(() => onDownload('pdf'));
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
      <Button variant="default" leftSection={<IconFileTypeCsv size={16} />} loading={csv.isPending} onClick={() => csv.mutate()}>
        Download CSV
      </Button>
      <Button variant="default" leftSection={<IconFileTypePdf size={16} />} loading={pdf.isPending} onClick={() => pdf.mutate()}>
        Download PDF
      </Button>
    </SimpleGrid>
  );
}

/** The meter's energy by hour, day, week or month; a period without readings is a gap, never 0. */
export function MyConsumption({ meterNumber }: { meterNumber: string }) {
  const [granularity, setGranularity] = useState<Granularity>('daily');
  const [range, setRange] = useState<Range>(() => defaultRange('daily'));
  const period: ConsumptionPeriod = { granularity, from: range.from, to: range.to };
  const consumption = useMyConsumption(meterNumber, period);
  const data = consumption.data;
  const gaps = data ? data.totals.periods - data.totals.periods_with_data : 0;

  return (
    <Card withBorder padding="md" component="section" aria-label="Consumption">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Consumption
        </Title>
        <SegmentedControl
          aria-label="Granularity"
          fullWidth
          value={granularity}
          onChange={(value) => {
            setGranularity(value as Granularity);
            setRange(defaultRange(value as Granularity));
          }}
          data={GRANULARITIES.map((value) => ({ value, label: humanize(value) }))}
        />
        <SimpleGrid cols={2} spacing="xs">
          <DateRangeInputs value={range} onChange={setRange} w="100%" />
        </SimpleGrid>
        {consumption.isError ? (
          <Alert color="red" title="The consumption could not be loaded">
            {errorMessage(consumption.error)}
          </Alert>
        ) : null}
        {data ? (
          <Text aria-label="Total" fw={600}>
            {data.totals.import_kwh === null ? 'No readings in this period' : `${formatKwh(data.totals.import_kwh)} kWh used`}
            {gaps > 0 ? (
              <Text span size="sm" c="dimmed" fw={400}>
                {` · ${gaps} of ${data.totals.periods} without readings`}
              </Text>
            ) : null}
          </Text>
        ) : null}
        {data ? <Periods consumption={data} /> : consumption.isPending ? <Skeleton height={240} radius="sm" /> : null}
        <Downloads onDownload={(format) => downloadMyConsumption(meterNumber, period, format)} />
      </Stack>
    </Card>
  );
}
