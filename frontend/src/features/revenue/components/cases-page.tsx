import { Anchor, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileTypeCsv, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { usePermissions } from '@/lib/authorization';
import { useDownload } from '@/lib/csv';
import { formatDateTime } from '@/lib/format';
import { exportCases, useAssignees, useCases, type Case, type CaseFilters } from '@/features/revenue/api/cases';
import { CaseStatusBadge } from '@/features/revenue/components/badges';
import { NewCaseDialog } from '@/features/revenue/components/new-case-dialog';
import { CASE_STATUSES, OUTCOMES, caseLink, humanize, meterLink, outcomeLabel } from '@/features/revenue/utils/labels';

const COLUMNS: Column<Case>[] = [
  {
    key: 'id',
    header: 'Case',
    render: (c) => (
      <Anchor component={Link} to={caseLink(c.id)} size="sm" fw={500}>
        {c.id}
      </Anchor>
    ),
  },
  {
    key: 'title',
    header: 'Title',
    render: (c) => (
      <Text size="sm" style={{ whiteSpace: 'normal' }} maw={320}>
        {c.title}
      </Text>
    ),
  },
  {
    key: 'meter_number',
    header: 'Meter',
    render: (c) => (
      <Anchor component={Link} to={meterLink(c.meter_number)} ff="monospace" size="sm">
        {c.meter_number}
      </Anchor>
    ),
  },
  { key: 'customer_name', header: 'Customer', render: (c) => c.customer_name ?? '—' },
  { key: 'area_name', header: 'Area', render: (c) => c.area_name ?? '—' },
  { key: 'status', header: 'Status', render: (c) => <CaseStatusBadge status={c.status} /> },
  { key: 'assignee', header: 'Assignee', render: (c) => c.assignee ?? '—' },
  { key: 'outcome', header: 'Outcome', render: (c) => outcomeLabel(c.outcome) },
  { key: 'source', header: 'From', render: (c) => humanize(c.source) },
  { key: 'created_at', header: 'Opened', render: (c) => formatDateTime(c.created_at) },
];

/** The investigations, newest first, by status, outcome, assignee, meter and the header's area; CSV of the same. */
export function CasesPage() {
  const canWrite = usePermissions().can('cases:write');
  const [area] = useAreaFilter();
  const [status, setStatus] = useState('');
  const [outcome, setOutcome] = useState('');
  const [assignee, setAssignee] = useState('');
  const [meterInput, setMeterInput] = useState('');
  const [meter] = useDebouncedValue(meterInput.trim(), 300);
  const [creating, setCreating] = useState(false);
  const assignees = useAssignees();
  const filters: CaseFilters = {
    status: status || undefined,
    outcome: outcome || undefined,
    assignee: assignee || undefined,
    meter: meter || undefined,
    area: area || undefined,
  };
  const list = useListState(JSON.stringify(filters));
  const cases = useCases({ ...filters, page: list.page, page_size: list.pageSize });
  const download = useDownload(() => exportCases(filters));
  const filtered = Boolean(status || outcome || assignee || meter || area);

  return (
    <Stack>
      <PageHeader title="Investigations">
        <Button
          variant="default"
          leftSection={<IconFileTypeCsv size={16} />}
          loading={download.isPending}
          onClick={() => download.mutate()}
        >
          Download CSV
        </Button>
        {canWrite ? (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New case
          </Button>
        ) : null}
      </PageHeader>
      <Group gap="sm" align="flex-end">
        <NativeSelect
          label="Status"
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={[
            { value: '', label: 'All' },
            { value: 'active', label: 'Active (open or investigating)' },
            ...CASE_STATUSES.map((value) => ({ value, label: humanize(value) })),
          ]}
        />
        <NativeSelect
          label="Outcome"
          value={outcome}
          onChange={(event) => setOutcome(event.currentTarget.value)}
          data={[{ value: '', label: 'Any outcome' }, ...OUTCOMES]}
        />
        <NativeSelect
          label="Assignee"
          value={assignee}
          onChange={(event) => setAssignee(event.currentTarget.value)}
          data={[
            { value: '', label: 'Anyone' },
            ...(assignees.data ?? []).map((user) => ({ value: user.username, label: user.full_name ?? user.username })),
          ]}
        />
        <TextInput
          label="Meter"
          placeholder="Meter number"
          leftSection={<IconSearch size={16} />}
          value={meterInput}
          onChange={(event) => setMeterInput(event.currentTarget.value)}
          w={{ base: '100%', xs: 200 }}
        />
      </Group>
      <DataTable
        label="Cases"
        columns={COLUMNS}
        rows={cases.data?.items}
        rowKey={(c) => c.id}
        loading={cases.isFetching}
        emptyText={filtered ? 'No cases match these filters.' : 'No cases yet.'}
        minWidth={1280}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={cases.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      {canWrite ? <NewCaseDialog opened={creating} onClose={() => setCreating(false)} /> : null}
    </Stack>
  );
}
