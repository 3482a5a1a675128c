import { Anchor, Badge, Button, Group, NativeSelect, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconDownload, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { formatDateTime } from '@/lib/format';
import { useAreaOptions } from '@/features/areas/api/get-areas';
import { REPORT_KINDS, useReports, type Report, type ReportListParams } from '@/features/operations/api/reports';
import { NewExportDialog } from '@/features/operations/components/new-export-dialog';
import { ReportSchedules } from '@/features/operations/components/report-schedules';
import { formatBytes, humanize } from '@/features/operations/utils/format';

type View = 'all' | 'scheduled';

const STATUS_COLORS: Record<string, string> = { queued: 'gray', running: 'blue', done: 'green', failed: 'red' };

const ONLINE_FILTERS: Record<string, string> = { never: 'Never online', online: 'Online' };

/** The parameters a report was made with, in words; the area has its own line. */
export function describeParams(params: Report['params']) {
  const { granularity, from, to, meter, tamper, filter, type, severity, q } = params;
  return [
    granularity && humanize(granularity),
    (from || to) && `${from ?? '…'} – ${to ?? '…'}`,
    meter && `Meter ${meter}`,
    type && humanize(type),
    severity && humanize(severity),
    tamper === 'true' && 'Tamper only',
    filter && (ONLINE_FILTERS[filter] ?? filter),
    q && `“${q}”`,
  ]
    .filter(Boolean)
    .join(', ');
}

function StatusCell({ report }: { report: Report }) {
  return (
    <Stack gap={2} align="flex-start">
      <Badge color={STATUS_COLORS[report.status] ?? 'gray'} variant="light">
        {humanize(report.status)}
      </Badge>
      {report.status === 'failed' && report.error ? (
        <Text size="xs" c="red" style={{ whiteSpace: 'normal' }} maw={280}>
          {report.error}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The presigned URL is on the file store, not the API: a plain link, without the bearer token. */
function DownloadLink({ report }: { report: Report }) {
  if (report.status !== 'done' || !report.url) return null;
  const name = report.filename ?? `${report.kind}.${report.format}`;
  return (
    <Anchor href={report.url} download={name} target="_blank" rel="noreferrer" size="sm" aria-label={`Download ${name}`}>
      <Group gap={4} wrap="nowrap">
        <IconDownload size={16} />
        Download
      </Group>
    </Anchor>
  );
}

function columns(areaName: (id: string | null) => string): Column<Report>[] {
  return [
    { key: 'created_at', header: 'Created', render: (r) => formatDateTime(r.created_at) },
    {
      key: 'title',
      header: 'Title',
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{r.title ?? humanize(r.kind)}</Text>
          {r.schedule ? (
            <Text size="xs" c="dimmed">
              Scheduled, {r.schedule}
            </Text>
          ) : null}
        </Stack>
      ),
    },
    { key: 'kind', header: 'Kind', render: (r) => humanize(r.kind) },
    { key: 'format', header: 'Format', render: (r) => r.format.toUpperCase() },
    {
      key: 'params',
      header: 'Scope',
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{areaName(r.area_id)}</Text>
          <Text size="xs" c="dimmed">
            {describeParams(r.params)}
          </Text>
        </Stack>
      ),
    },
    { key: 'status', header: 'Status', render: (r) => <StatusCell report={r} /> },
    { key: 'size', header: 'Size', render: (r) => formatBytes(r.size) },
    { key: 'created_by', header: 'By', render: (r) => r.created_by ?? (r.schedule ? 'Schedule' : '—') },
    { key: 'url', header: 'File', render: (r) => <DownloadLink report={r} /> },
  ];
}

/**
 * Report files built in the background, started here or by a schedule, newest first, for the area
 * chosen in the header; asked again every few seconds while one is still being built. Below, the
 * scheduled exports.
 */
export function ReportsPage() {
  const [area] = useAreaFilter();
  const [view, setView] = useState<View>('all');
  const [kind, setKind] = useState('');
  const [creating, setCreating] = useState(false);
  const filters: ReportListParams = {
    area: area || undefined,
    kind: kind || undefined,
    scheduled: view === 'scheduled' ? 'true' : undefined,
  };
  const list = useListState(JSON.stringify(filters));
  const reports = useReports({ ...filters, page: list.page, page_size: list.pageSize });
  const areas = useAreaOptions().data?.items;
  const areaName = (id: string | null) => (id ? (areas?.find((item) => item.id === id)?.name ?? id) : 'All areas');

  return (
    <Stack>
      <PageHeader title="Reports">
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New export
        </Button>
      </PageHeader>
      <Group gap="sm">
        <SegmentedControl
          aria-label="Reports shown"
          value={view}
          onChange={(value) => setView(value as View)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'scheduled', label: 'Scheduled' },
          ]}
        />
        <NativeSelect
          aria-label="Kind"
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value)}
          data={[{ value: '', label: 'All kinds' }, ...REPORT_KINDS.map((value) => ({ value, label: humanize(value) }))]}
        />
      </Group>
      <DataTable
        label="Report files"
        columns={columns(areaName)}
        rows={reports.data?.items}
        rowKey={(row) => row.id}
        loading={reports.isFetching}
        emptyText={
          kind || area || view === 'scheduled' ? 'No report files match these filters.' : 'No report files yet: start an export.'
        }
        minWidth={1200}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={reports.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      <ReportSchedules />
      <NewExportDialog opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
