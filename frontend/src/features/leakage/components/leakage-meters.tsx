import { Alert, Anchor, Badge, Button, CloseButton, Group, Stack, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, createSearchParams } from 'react-router';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { paths } from '@/config/paths';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import { useAreaOptions } from '@/features/areas/api/get-areas';
import {
  exportLeakageMeters,
  useLeakageMeters,
  type Indicator,
  type LeakageMeter,
} from '@/features/leakage/api/get-leakage';
import { LeakageFilterBar } from '@/features/leakage/components/leakage-filter-bar';
import { leakageQuery, summaryLink, useLeakageFilters } from '@/features/leakage/hooks/use-leakage-filters';
import { indicatorInfo } from '@/features/leakage/utils/indicators';
import { ReportDownloads } from '@/features/operations/components/report-downloads';
import { formatKwh, humanize } from '@/features/operations/utils/format';

/** The meter reading page, opened on this meter. */
const meterLink = (meterNumber: string) => `${paths.meterReading}?${createSearchParams({ meter: meterNumber }).toString()}`;

const number = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(value));

const COMMON: Column<LeakageMeter>[] = [
  {
    key: 'meter_number',
    header: 'Meter',
    render: (m) => (
      <Anchor component={Link} to={meterLink(m.meter_number)} ff="monospace" size="sm">
        {m.meter_number}
      </Anchor>
    ),
  },
  { key: 'customer_name', header: 'Customer', render: (m) => m.customer_name ?? '—' },
  { key: 'area_name', header: 'Area', render: (m) => m.area_name ?? '—' },
];

const FIGURES: Record<Indicator, Column<LeakageMeter>[]> = {
  'zero-consumption': [
    { key: 'import_kwh', header: 'Import kWh (48 h)', render: (m) => formatKwh(m.import_kwh) },
    { key: 'hours', header: 'Hours with readings', render: (m) => number(m.hours) },
    { key: 'voltage_v', header: 'Voltage', render: (m) => (m.voltage_v === null || m.voltage_v === undefined ? '—' : `${m.voltage_v} V`) },
    { key: 'since', header: 'No import since', render: (m) => (m.since ? formatDateTime(m.since) : 'over a week') },
  ],
  'reverse-flow': [
    { key: 'export_kwh', header: 'Export kWh', render: (m) => formatKwh(m.export_kwh) },
    { key: 'import_kwh', header: 'Import kWh', render: (m) => formatKwh(m.import_kwh) },
    { key: 'since', header: 'Exporting since', render: (m) => formatDateTime(m.since) },
  ],
  tamper: [
    { key: 'alerts', header: 'Alerts', render: (m) => number(m.alerts) },
    { key: 'occurrences', header: 'Occurrences', render: (m) => number(m.occurrences) },
    { key: 'alert_types', header: 'Types', render: (m) => m.alert_types?.map(humanize).join(', ') || '—' },
    { key: 'since', header: 'First', render: (m) => formatDateTime(m.since) },
    { key: 'last_at', header: 'Last', render: (m) => formatDateTime(m.last_at) },
  ],
  bypass: [
    { key: 'import_kwh', header: 'Import kWh while disconnected', render: (m) => formatKwh(m.import_kwh) },
    { key: 'hours', header: 'Hours', render: (m) => number(m.hours) },
    { key: 'since', header: 'Disconnected at', render: (m) => formatDateTime(m.since) },
    { key: 'relay_state', header: 'Relay now', render: (m) => (m.relay_state ? humanize(m.relay_state) : '—') },
  ],
  'energy-at-risk': [
    { key: 'since', header: 'Last reading', render: (m) => formatDateTime(m.since) },
    { key: 'days_silent', header: 'Days silent', render: (m) => number(m.days_silent) },
    { key: 'avg_daily_kwh', header: 'Average daily kWh', render: (m) => formatKwh(m.avg_daily_kwh) },
    {
      key: 'estimated_kwh',
      header: 'Unbilled kWh (estimate)',
      render: (m) =>
        m.estimated_kwh === null || m.estimated_kwh === undefined ? (
          <Text size="sm" c="dimmed">
            No history
          </Text>
        ) : (
          formatKwh(m.estimated_kwh)
        ),
    },
  ],
};

/**
 * The meters behind one leakage count, with the figures that put them there; each meter opens its
 * reading page. The period and threshold come from the address (the summary's links carry them); the
 * area is the one a per-area count named, or the header's.
 */
export function LeakageMeters({ indicator }: { indicator: Indicator }) {
  const info = indicatorInfo(indicator);
  const [headerArea] = useAreaFilter();
  const { values, setValue, linkedArea, clearLinkedArea } = useLeakageFilters();
  const area = linkedArea || headerArea;
  const filters = leakageQuery(values, area);
  const list = useListState(JSON.stringify([indicator, filters]));
  const meters = useLeakageMeters(indicator, { ...filters, page: list.page, page_size: list.pageSize });
  const areas = useAreaOptions();
  const linkedName = areas.data?.items.find((item) => item.id === linkedArea)?.name ?? linkedArea;

  return (
    <Stack>
      <PageHeader title={info?.label ?? humanize(indicator)}>
        <Button component={Link} to={summaryLink(values)} variant="default" leftSection={<IconArrowLeft size={16} />}>
          Leakage summary
        </Button>
        <ReportDownloads onDownload={(format) => exportLeakageMeters(indicator, filters, format)} />
      </PageHeader>
      <Text size="sm" c="dimmed">
        {info?.description}
      </Text>
      <LeakageFilterBar values={values} onChange={setValue} />
      {linkedArea && linkedArea !== headerArea ? (
        <Group gap="xs">
          <Badge
            variant="light"
            size="lg"
            rightSection={<CloseButton size="xs" aria-label="Show the header's area instead" onClick={clearLinkedArea} />}
          >
            Area: {linkedName}
          </Badge>
        </Group>
      ) : null}
      {meters.isError ? (
        <Alert color="red" title="The meters could not be loaded">
          {errorMessage(meters.error)}
        </Alert>
      ) : null}
      <DataTable
        label="Meters"
        columns={[...COMMON, ...FIGURES[indicator]]}
        rows={meters.data?.items}
        rowKey={(row) => row.meter_number}
        loading={meters.isFetching}
        emptyText="No meters show this for these filters."
        minWidth={1000}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={meters.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
    </Stack>
  );
}
