import { Badge, Group, Stack, Text } from '@mantine/core';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { formatDateTime } from '@/lib/format';
import { exportEvents, useEvents, type EventItem } from '@/features/operations/api/get-events';
import { EventFilterBar } from '@/features/operations/components/event-filter-bar';
import { ReportDownloads } from '@/features/operations/components/report-downloads';
import { SeverityBadge } from '@/features/operations/components/severity-badge';
import { eventQuery, useEventFilters } from '@/features/operations/hooks/use-event-filters';
import { describeDetails, humanize } from '@/features/operations/utils/format';

const COLUMNS: Column<EventItem>[] = [
  { key: 'at', header: 'Time', render: (e) => formatDateTime(e.at) },
  {
    key: 'meter_number',
    header: 'Meter',
    render: (e) => (
      <Text ff="monospace" size="sm">
        {e.meter_number ?? '—'}
      </Text>
    ),
  },
  { key: 'area_name', header: 'Area', render: (e) => e.area_name ?? '—' },
  {
    key: 'type',
    header: 'Type',
    render: (e) => (
      <Group gap={6} wrap="nowrap">
        <span>{humanize(e.type)}</span>
        {e.tamper ? (
          <Badge size="xs" color="red" variant="outline">
            Tamper
          </Badge>
        ) : null}
      </Group>
    ),
  },
  { key: 'severity', header: 'Severity', render: (e) => <SeverityBadge severity={e.severity} /> },
  {
    key: 'details',
    header: 'Details',
    render: (e) => (
      <Text size="sm" c="dimmed" style={{ whiteSpace: 'normal' }}>
        {describeDetails(e.details) || '—'}
      </Text>
    ),
  },
];

/** Every meter event, newest first, filtered by the address's filters and the header's area. */
export function EventReport() {
  const [area] = useAreaFilter();
  const { values, setValue } = useEventFilters();
  const filters = eventQuery(values, area);
  const list = useListState(JSON.stringify(filters));
  const events = useEvents({ ...filters, page: list.page, page_size: list.pageSize });
  const filtered = Object.entries(filters).some(([, value]) => value !== undefined);

  return (
    <Stack>
      <PageHeader title="Event report">
        <ReportDownloads onDownload={(format) => exportEvents(filters, format)} />
      </PageHeader>
      <EventFilterBar values={values} onChange={setValue} />
      <DataTable
        label="Events"
        columns={COLUMNS}
        rows={events.data?.items}
        rowKey={(event) => event.id}
        loading={events.isFetching}
        emptyText={filtered ? 'No events match these filters.' : 'No events yet.'}
        minWidth={960}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={events.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
    </Stack>
  );
}
