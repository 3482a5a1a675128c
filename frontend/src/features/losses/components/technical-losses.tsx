import { BarChart, type ChartReferenceLineProps } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  List,
  ScrollArea,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconBolt, IconCalendarStats, IconPercentage, IconShieldExclamation } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { useAreaFilter } from '@/lib/area-filter';
import { errorMessage } from '@/lib/notify';
import {
  exportLosses,
  useLosses,
  type AreaBalance,
  type BalanceDay,
  type LossParams,
} from '@/features/losses/api/get-losses';
import { ReportDownloads } from '@/features/operations/components/report-downloads';
import { StatCard } from '@/features/operations/components/stat-card';
import { daysAgo } from '@/features/operations/utils/dates';
import { formatKwh, formatPercent } from '@/features/operations/utils/format';
import { DateRangeInputs } from '@/components/ui/date-range-inputs';

type Range = { from: string; to: string };

/** The 30 days up to yesterday: today is not over, so it has no balance yet. */
const defaultRange = (): Range => ({ from: daysAgo(30), to: daysAgo(1) });

const reliableDays = (area: AreaBalance) => `${area.totals.complete_days} of ${area.totals.days}`;

function NonTechnical({ value, threshold }: { value: number | null; threshold: number | undefined }) {
  const over = value !== null && threshold !== undefined && value > threshold;
  return (
    <Text span size="sm" c={over ? 'red' : undefined} fw={over ? 700 : undefined}>
      {formatPercent(value)}
    </Text>
  );
}

function areaColumns(onSelect: (area: AreaBalance) => void): Column<AreaBalance>[] {
  return [
    {
      key: 'area_name',
      header: 'Area',
      render: (a) => (
        <Anchor component="button" type="button" size="sm" onClick={() => onSelect(a)}>
          {a.area_name}
        </Anchor>
      ),
    },
    {
      key: 'check_meter',
      header: 'Check meter',
      render: (a) =>
        a.check_meter ? (
          <Text ff="monospace" size="sm">
            {a.check_meter}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            No check meter
          </Text>
        ),
    },
    { key: 'input_kwh', header: 'Input kWh', render: (a) => formatKwh(a.totals.input_kwh) },
    { key: 'billed_kwh', header: 'Billed kWh', render: (a) => formatKwh(a.totals.billed_kwh) },
    { key: 'loss_pct', header: 'Loss', render: (a) => formatPercent(a.totals.loss_pct) },
    { key: 'technical_pct', header: 'Technical', render: (a) => formatPercent(a.totals.technical_pct) },
    {
      key: 'non_technical_pct',
      header: 'Non-technical',
      render: (a) => <NonTechnical value={a.totals.non_technical_pct} threshold={a.supply?.ntl_alert_pct} />,
    },
    { key: 'complete_days', header: 'Reliable days', render: (a) => (a.check_meter ? reliableDays(a) : '—') },
    {
      key: 'episodes',
      header: 'Alert',
      render: (a) =>
        a.episodes.length > 0 ? (
          <Badge color="red" variant="light">
            Above threshold
          </Badge>
        ) : null,
    },
  ];
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={4}>{title}</Title>
        {children}
      </Stack>
    </Card>
  );
}

/** Technical and non-technical loss % per day; unreliable days have no bar and a dashed marker instead. */
function LossChart({ area }: { area: AreaBalance }) {
  const data = area.days.map((day) => ({
    day: day.day,
    Technical: day.technical_pct,
    'Non-technical': day.non_technical_pct,
  }));
  const markers: ChartReferenceLineProps[] = area.days
    .filter((day) => !day.complete)
    .map((day) => ({ x: day.day, color: 'gray.5', strokeDasharray: '4 4' }));
  const threshold: ChartReferenceLineProps[] = area.supply
    ? [{ y: area.supply.ntl_alert_pct, color: 'red.6', label: `Alert threshold ${formatPercent(area.supply.ntl_alert_pct)}` }]
    : [];
  return (
    <BarChart
      h={280}
      data={data}
      dataKey="day"
      type="stacked"
      withLegend
      valueFormatter={(value) => formatPercent(value)}
      referenceLines={[...threshold, ...markers]}
      series={[
        { name: 'Technical', label: 'Technical loss %', color: 'blue.6' },
        { name: 'Non-technical', label: 'Non-technical loss %', color: 'orange.6' },
      ]}
    />
  );
}

function DayStatus({ day }: { day: BalanceDay }) {
  if (day.complete) {
    return day.over_threshold ? (
      <Badge color="red" variant="light">
        Above threshold
      </Badge>
    ) : (
      <Badge color="green" variant="light">
        Reliable
      </Badge>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color="yellow" variant="light">
        No balance
      </Badge>
      <Text size="sm">{day.reason}</Text>
    </Group>
  );
}

function Days({ area }: { area: AreaBalance }) {
  return (
    <ScrollArea.Autosize mah={420} type="auto">
      <Table aria-label="Balance per day" striped stickyHeader withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Day</Table.Th>
            <Table.Th ta="right">Input kWh</Table.Th>
            <Table.Th ta="right">Billed kWh</Table.Th>
            <Table.Th ta="right">Loss</Table.Th>
            <Table.Th ta="right">Technical</Table.Th>
            <Table.Th ta="right">Non-technical</Table.Th>
            <Table.Th ta="right">Meters with data</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {area.days.map((day) => (
            <Table.Tr key={day.day} c={day.complete ? undefined : 'dimmed'}>
              <Table.Td>{day.day}</Table.Td>
              <Table.Td ta="right">{formatKwh(day.input_kwh)}</Table.Td>
              <Table.Td ta="right">{formatKwh(day.billed_kwh)}</Table.Td>
              <Table.Td ta="right">{formatPercent(day.loss_pct)}</Table.Td>
              <Table.Td ta="right">{formatPercent(day.technical_pct)}</Table.Td>
              <Table.Td ta="right">
                <NonTechnical value={day.non_technical_pct} threshold={area.supply?.ntl_alert_pct} />
              </Table.Td>
              <Table.Td ta="right">
                {day.meters_with_data} of {day.meters}
              </Table.Td>
              <Table.Td>
                <DayStatus day={day} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

function Episodes({ area }: { area: AreaBalance }) {
  if (area.episodes.length === 0 || !area.supply) return null;
  const { ntl_alert_pct: threshold, ntl_alert_days: days } = area.supply;
  return (
    <Alert
      color="red"
      icon={<IconShieldExclamation size={18} />}
      title={`Non-technical loss above ${formatPercent(threshold)} on ${days} or more reliable days in a row`}
    >
      <List size="sm" spacing={2} aria-label="Loss episodes">
        {area.episodes.map((episode) => (
          <List.Item key={episode.from}>
            {episode.from} to {episode.to}: {episode.days} days, peak {formatPercent(episode.peak_pct)}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function AreaDetail({ area }: { area: AreaBalance }) {
  if (!area.check_meter) {
    return (
      <Section title={`${area.area_name}: balance per day`}>
        <Text c="dimmed">
          This area has no check meter, so its input is unknown. An operator names one (a meter of the area that
          measures its supply) with the transformer data under System → Areas.
        </Text>
      </Section>
    );
  }
  const unreliable = area.days.filter((day) => !day.complete).length;
  return (
    <Section title={`${area.area_name}: balance per day`}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <StatCard label="Loss" value={formatPercent(area.totals.loss_pct)} icon={IconBolt} color="blue" />
        <StatCard label="Technical" value={formatPercent(area.totals.technical_pct)} icon={IconPercentage} color="blue" />
        <StatCard
          label="Non-technical"
          value={formatPercent(area.totals.non_technical_pct)}
          description="theft, meter errors"
          icon={IconShieldExclamation}
          color="orange"
        />
        <StatCard
          label="Reliable days"
          value={reliableDays(area)}
          description={`${area.meters} customer meters; check meter ${area.check_meter}`}
          icon={IconCalendarStats}
          color="gray"
        />
      </SimpleGrid>
      <Episodes area={area} />
      {unreliable > 0 ? (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={`${unreliable} day(s) without a balance`}>
          Where meters lack data the balance would show a false loss, so those days are marked (dashed) and left
          out of the totals.
        </Alert>
      ) : null}
      <LossChart area={area} />
      <Days area={area} />
    </Section>
  );
}

/**
 * Each area's energy balance: the check meter's input against the customer meters' billed energy, the loss
 * split into technical (transformer and lines) and non-technical (theft, errors). Days with missing data say
 * so instead of showing a loss.
 */
export function TechnicalLosses() {
  const [area] = useAreaFilter();
  const [range, setRange] = useState<Range>(defaultRange);
  const [selected, setSelected] = useState<string | null>(null);
  const params: LossParams = { area: area || undefined, from: range.from, to: range.to };
  const losses = useLosses(params);
  const items = losses.data?.items;
  const current =
    items?.find((item) => item.area_id === selected) ?? items?.find((item) => item.check_meter) ?? items?.[0];

  return (
    <Stack>
      <PageHeader title="Technical losses">
        <ReportDownloads onDownload={(format) => exportLosses(params, format)} />
      </PageHeader>
      <Group gap="sm" align="flex-end">
        <DateRangeInputs value={range} onChange={setRange} />
        <Text size="sm" c="dimmed">
          {losses.data ? `Local days in ${losses.data.timezone}. ` : ''}Totals count reliable days only.
        </Text>
      </Group>
      {losses.isError ? (
        <Alert color="red" title="The balance could not be loaded">
          {errorMessage(losses.error)}
        </Alert>
      ) : null}
      <DataTable
        label="Areas"
        columns={areaColumns((row) => setSelected(row.area_id))}
        rows={items}
        rowKey={(row) => row.area_id}
        loading={losses.isFetching}
        emptyText="No areas yet."
        onRowClick={(row) => setSelected(row.area_id)}
        minWidth={1000}
      />
      {current ? <AreaDetail area={current} /> : null}
      {!items && losses.isPending ? <Skeleton height={280} radius="sm" /> : null}
    </Stack>
  );
}
