import { BarChart } from '@mantine/charts';
import {
  Alert,
  Card,
  Group,
  List,
  NativeSelect,
  ScrollArea,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowDownRight, IconArrowUpRight, IconCalendarStats, IconSearch } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { useAreaFilter } from '@/lib/area-filter';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import {
  GRANULARITIES,
  exportConsumption,
  useConsumption,
  type ConsumptionParams,
  type ConsumptionReport as Report,
  type ConsumptionRow,
  type Granularity,
} from '@/features/operations/api/get-consumption';
import { ReportDownloads } from '@/features/operations/components/report-downloads';
import { StatCard } from '@/features/operations/components/stat-card';
import { daysAgo, isoDay, lastMonth } from '@/features/operations/utils/dates';
import { describeDetails, formatKwh, humanize } from '@/features/operations/utils/format';
import { DateRangeInputs } from '@/components/ui/date-range-inputs';

type Scope = 'area' | 'meter';

const withUnit = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${formatKwh(value)} kWh`);
type Range = { from: string; to: string };

/** Until dates are chosen: today by the hour, the last 12 weeks by the week, else the last calendar month. */
function defaultRange(granularity: Granularity): Range {
  if (granularity === 'hourly') return { from: isoDay(new Date()), to: isoDay(new Date()) };
  if (granularity === 'weekly') return { from: daysAgo(7 * 12 - 1), to: isoDay(new Date()) };
  return lastMonth();
}

const ROW_COLUMNS: Column<ConsumptionRow>[] = [
  {
    key: 'meter_number',
    header: 'Meter',
    render: (r) => (
      <Text ff="monospace" size="sm">
        {r.meter_number}
      </Text>
    ),
  },
  { key: 'customer_name', header: 'Customer', render: (r) => r.customer_name ?? '—' },
  { key: 'area_name', header: 'Area', render: (r) => r.area_name ?? '—' },
  { key: 'import_kwh', header: 'Import kWh', render: (r) => formatKwh(r.import_kwh) },
  { key: 'export_kwh', header: 'Export kWh', render: (r) => formatKwh(r.export_kwh) },
  { key: 'days_with_data', header: 'Days with data', render: (r) => r.days_with_data },
];

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

function Flags({ flags }: { flags: Report['flags'] }) {
  if (flags.length === 0) return null;
  return (
    <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Register resets: that energy is left out">
      <List size="sm" spacing={2} aria-label="Register resets">
        {flags.map((flag, index) => (
          <List.Item key={`${flag.meter_number}-${flag.at}-${index}`}>
            Meter {flag.meter_number}, {formatDateTime(flag.at)}: {humanize(flag.type)}
            {describeDetails(flag.details) ? ` (${describeDetails(flag.details)})` : ''}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** Per period; a period without readings is a gap: no bar, "—" in the table. */
function Periods({ report }: { report: Report }) {
  const withExport = report.series.some((point) => point.export_kwh !== null && point.export_kwh !== 0);
  const data = report.series.map((point) => ({ period: point.period, Import: point.import_kwh, Export: point.export_kwh }));
  return (
    <>
      <BarChart
        h={300}
        data={data}
        dataKey="period"
        withLegend={withExport}
        valueFormatter={formatKwh}
        series={[
          { name: 'Import', label: 'Import kWh', color: 'blue.6' },
          ...(withExport ? [{ name: 'Export', label: 'Export kWh', color: 'teal.6' }] : []),
        ]}
      />
      <ScrollArea.Autosize mah={360} type="auto">
        <Table aria-label="Consumption per period" striped stickyHeader withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Period</Table.Th>
              <Table.Th ta="right">Import kWh</Table.Th>
              <Table.Th ta="right">Export kWh</Table.Th>
              <Table.Th ta="right">Readings</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.series.map((point) => (
              <Table.Tr key={point.period}>
                <Table.Td>{point.period}</Table.Td>
                <Table.Td ta="right" c={point.import_kwh === null ? 'dimmed' : undefined}>
                  {formatKwh(point.import_kwh)}
                </Table.Td>
                <Table.Td ta="right" c={point.export_kwh === null ? 'dimmed' : undefined}>
                  {formatKwh(point.export_kwh)}
                </Table.Td>
                <Table.Td ta="right">{point.readings}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </>
  );
}

function MeterRows({ rows }: { rows: ConsumptionRow[] }) {
  const [paging, setPaging] = useState({ page: 1, pageSize: 25 });
  const pages = Math.max(1, Math.ceil(rows.length / paging.pageSize));
  const page = Math.min(paging.page, pages);
  const shown = rows.slice((page - 1) * paging.pageSize, page * paging.pageSize);
  return (
    <>
      <DataTable
        label="Consumption per meter"
        columns={ROW_COLUMNS}
        rows={shown}
        rowKey={(row) => row.meter_number}
        loading={false}
        emptyText="No meters in this area."
        minWidth={860}
      />
      <PaginationBar
        page={page}
        pageSize={paging.pageSize}
        total={rows.length}
        onPageChange={(next) => setPaging({ ...paging, page: next })}
        onPageSizeChange={(pageSize) => setPaging({ page: 1, pageSize })}
      />
    </>
  );
}

/**
 * Energy from register differences for one meter, the area chosen in the header or all areas, by
 * hour, day, ISO week or month. Gaps stay gaps; register resets are listed as warnings.
 */
export function ConsumptionReport() {
  const [area] = useAreaFilter();
  const [scope, setScope] = useState<Scope>('area');
  const [meterInput, setMeterInput] = useState('');
  const [meter] = useDebouncedValue(meterInput.trim(), 300);
  const [granularity, setGranularity] = useState<Granularity>('daily');
  const [chosen, setChosen] = useState<Range | null>(null);
  const range = chosen ?? defaultRange(granularity);

  const params: ConsumptionParams =
    scope === 'meter'
      ? { meter, granularity, from: range.from, to: range.to }
      : { area: area || undefined, granularity, from: range.from, to: range.to };
  const ready = scope === 'area' || meter !== '';
  const consumption = useConsumption(params, ready);
  const report = ready ? consumption.data : undefined;
  const loading = ready && consumption.isPending;
  const totals = report?.totals;

  return (
    <Stack>
      <PageHeader title="Consumption">
        <ReportDownloads disabled={!ready} onDownload={(format) => exportConsumption(params, format)} />
      </PageHeader>
      <Group gap="sm" align="flex-end">
        <SegmentedControl
          aria-label="Consumption of"
          value={scope}
          onChange={(value) => setScope(value as Scope)}
          data={[
            { value: 'area', label: area ? 'Selected area' : 'All areas' },
            { value: 'meter', label: 'One meter' },
          ]}
        />
        {scope === 'meter' ? (
          <TextInput
            label="Meter number"
            placeholder="e.g. 04312000000"
            leftSection={<IconSearch size={16} />}
            value={meterInput}
            onChange={(event) => setMeterInput(event.currentTarget.value)}
            w={{ base: '100%', xs: 220 }}
          />
        ) : null}
        <NativeSelect
          label="Granularity"
          value={granularity}
          onChange={(event) => setGranularity(event.currentTarget.value as Granularity)}
          data={GRANULARITIES.map((value) => ({ value, label: humanize(value) }))}
        />
        <DateRangeInputs value={range} onChange={setChosen} />
      </Group>
      {scope === 'area' ? (
        <Text size="sm" c="dimmed">
          {area ? 'The area chosen in the header, meter by meter below.' : 'Every area; choose an area in the header to narrow it.'}
        </Text>
      ) : null}
      {!ready ? (
        <Card withBorder padding="xl">
          <Text c="dimmed" ta="center">
            Type a meter number to see its consumption.
          </Text>
        </Card>
      ) : null}
      {ready && consumption.isError ? (
        <Alert color="red" title="The consumption could not be loaded">
          {errorMessage(consumption.error)}
        </Alert>
      ) : null}
      {ready ? (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <StatCard
              label="Import"
              value={loading ? undefined : withUnit(totals?.import_kwh)}
              icon={IconArrowDownRight}
              color="blue"
            />
            <StatCard
              label="Export"
              value={loading ? undefined : withUnit(totals?.export_kwh)}
              icon={IconArrowUpRight}
              color="teal"
            />
            <StatCard
              label="Periods with data"
              value={loading ? undefined : totals ? `${totals.periods_with_data} of ${totals.periods}` : '—'}
              description={
                totals && totals.periods > totals.periods_with_data
                  ? `${totals.periods - totals.periods_with_data} without readings (gaps)`
                  : report
                    ? `Times in ${report.timezone}`
                    : undefined
              }
              icon={IconCalendarStats}
              color="gray"
            />
          </SimpleGrid>
          {report ? <Flags flags={report.flags} /> : null}
          <Section title="Per period">
            {report ? <Periods report={report} /> : <Skeleton height={300} radius="sm" />}
          </Section>
          {report && report.rows.length > 0 ? (
            <Section title="Per meter">
              <MeterRows rows={report.rows} />
            </Section>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
