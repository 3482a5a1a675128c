import { LineChart } from '@mantine/charts';
import { Card, Group, NativeSelect, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconCircleOff, IconCloudOff, IconGauge, IconPercentage, IconWifi } from '@tabler/icons-react';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { formatDateTime } from '@/lib/format';
import {
  exportOnlineRate,
  useOnlineRate,
  type OnlineFilter,
  type OnlineRateFilters,
  type OnlineRow,
} from '@/features/operations/api/get-online-rate';
import { OnlineDot } from '@/features/operations/components/online-dot';
import { ReportDownloads } from '@/features/operations/components/report-downloads';
import { StatCard } from '@/features/operations/components/stat-card';
import { formatPercent } from '@/features/operations/utils/format';

const FILTERS: { value: OnlineFilter; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'never', label: 'Never online' },
  { value: 'online', label: 'Online' },
];

const COLUMNS: Column<OnlineRow>[] = [
  {
    key: 'meter_number',
    header: 'Meter',
    render: (r) => (
      <Text ff="monospace" size="sm">
        {r.meter_number}
      </Text>
    ),
  },
  {
    key: 'online',
    header: 'Online',
    render: (r) => (r.never_online ? <Text size="sm" c="dimmed">Never online</Text> : <OnlineDot online={r.online} />),
  },
  { key: 'area_name', header: 'Area', render: (r) => r.area_name ?? '—' },
  { key: 'customer_name', header: 'Customer', render: (r) => r.customer_name ?? '—' },
  { key: 'status', header: 'Status', render: (r) => (r.status ? r.status.charAt(0).toUpperCase() + r.status.slice(1) : '—') },
  { key: 'first_seen', header: 'First seen', render: (r) => formatDateTime(r.first_seen) },
  { key: 'last_seen', header: 'Last seen', render: (r) => formatDateTime(r.last_seen) },
  { key: 'days_with_data', header: 'Days with data (30)', render: (r) => r.days_with_data },
  { key: 'hours_online', header: 'Hours online (30 d)', render: (r) => r.hours_online.toFixed(1) },
];

/** Which meters have been heard and which never, the summary, and the daily online rate of the last 30 days. */
export function OnlineRate() {
  const [area] = useAreaFilter();
  const [filter, setFilter] = useState<OnlineFilter>('');
  const filters: OnlineRateFilters = { area: area || undefined, filter: filter || undefined };
  const list = useListState(JSON.stringify(filters));
  const online = useOnlineRate({ ...filters, q: list.params.q, page: list.page, page_size: list.pageSize });
  const summary = online.data?.summary;
  // A day without data stays a gap in the line.
  const trend = online.data?.trend.map((point) => ({ day: point.day, 'Online rate': point.online_rate })) ?? [];

  return (
    <Stack>
      <PageHeader title="Online rate">
        <ReportDownloads onDownload={(format) => exportOnlineRate({ ...filters, q: list.params.q }, format)} />
      </PageHeader>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>
        <StatCard label="Total meters" value={summary?.total} icon={IconGauge} color="blue" />
        <StatCard
          label="Online now"
          value={summary?.online}
          description={summary ? `${summary.online_last_24h} seen in the last 24\u00a0h` : undefined}
          icon={IconWifi}
          color="green"
        />
        <StatCard label="Offline now" value={summary?.offline} icon={IconCloudOff} color="red" />
        <StatCard label="Never online" value={summary?.never_online} icon={IconCircleOff} color="gray" />
        <StatCard
          label="Online rate"
          value={summary ? formatPercent(summary.online_rate) : undefined}
          icon={IconPercentage}
          color="teal"
        />
      </SimpleGrid>
      <Card withBorder padding="md" component="section" aria-label="Online rate, last 30 days">
        <Stack gap="sm">
          <Title order={4}>Online rate, last 30 days</Title>
          {online.data ? (
            <LineChart
              h={220}
              data={trend}
              dataKey="day"
              connectNulls={false}
              yAxisProps={{ domain: [0, 100] }}
              valueFormatter={(value) => formatPercent(value)}
              series={[{ name: 'Online rate', color: 'teal.6' }]}
            />
          ) : (
            <Skeleton height={220} radius="sm" />
          )}
        </Stack>
      </Card>
      <Group gap="sm">
        <NativeSelect
          aria-label="Online filter"
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value as OnlineFilter)}
          data={FILTERS}
        />
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search meter number" />
      </Group>
      <DataTable
        label="Meters"
        columns={COLUMNS}
        rows={online.data?.items}
        rowKey={(row) => row.meter_number}
        loading={online.isFetching}
        emptyText={filter || list.params.q || area ? 'No meters match these filters.' : 'No meters yet.'}
        minWidth={1100}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={online.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
    </Stack>
  );
}
