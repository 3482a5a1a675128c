import { Button, Group, NativeSelect, Stack } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { ExportCsvButton, ImportCsvButton } from '@/components/csv/csv-buttons';
import { DataTable, type Column } from '@/components/ui/data-table';
import { DeleteDialog, type DeleteTarget } from '@/components/ui/delete-dialog';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { withRowActions } from '@/components/ui/row-actions';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { usePermissions } from '@/lib/authorization';
import { formatDateTime } from '@/lib/format';
import { METER_STATUSES, useMeters, type Meter, type MeterFilters, type MeterStatus } from '@/features/meters/api/get-meters';
import { exportMeters, useDeleteMeter, useImportMeters } from '@/features/meters/api/meter-mutations';
import { MeterFormModal } from '@/features/meters/components/meter-form';
import { MeterStatusBadge, statusLabel } from '@/features/meters/components/meter-status-badge';

const NOUN = { one: 'meter', many: 'meters' };

const COLUMNS: Column<Meter>[] = [
  { key: 'meter_number', header: 'Meter number', sortable: true, render: (m) => m.meter_number },
  { key: 'concentrator_id', header: 'Concentrator', sortable: true, render: (m) => m.concentrator_id },
  { key: 'meter_type', header: 'Type', sortable: true, render: (m) => m.meter_type },
  { key: 'area_name', header: 'Area', sortable: true, render: (m) => m.area_name ?? '—' },
  { key: 'status', header: 'Status', sortable: true, render: (m) => <MeterStatusBadge status={m.status} /> },
  { key: 'sim_number', header: 'SIM', sortable: true, render: (m) => m.sim_number ?? '—' },
  { key: 'customer_name', header: 'Customer', sortable: true, render: (m) => m.customer_name ?? '—' },
  { key: 'updated_at', header: 'Updated', sortable: true, render: (m) => formatDateTime(m.updated_at) },
];

export function MetersList() {
  const canWrite = usePermissions().can('meters:write');
  const [area] = useAreaFilter();
  const [status, setStatus] = useState<MeterStatus | ''>('');
  const filters: MeterFilters = { area: area || undefined, status: status || undefined };
  const list = useListState(JSON.stringify(filters), 'meter_number');
  const meters = useMeters({ ...filters, ...list.params });
  const importMeters = useImportMeters();
  const remove = useDeleteMeter();
  const [editing, setEditing] = useState<Meter | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);

  const columns = withRowActions(COLUMNS, canWrite, (meter: Meter) => ({
    subject: `meter ${meter.meter_number}`,
    onEdit: () => setEditing(meter),
    onDelete: () => setDeleting({ id: meter.meter_number, name: meter.meter_number }),
  }));

  return (
    <Stack>
      <PageHeader title="Meters">
        {canWrite ? (
          <>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add meter
            </Button>
            <ImportCsvButton resource="meters" noun={NOUN} mutation={importMeters} />
          </>
        ) : null}
        <ExportCsvButton onExport={() => exportMeters({ ...filters, q: list.params.q, sort: list.params.sort })} />
      </PageHeader>
      <Group gap="sm">
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search meter, concentrator, type" />
        <NativeSelect
          aria-label="Status filter"
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value as MeterStatus | '')}
          data={[
            { value: '', label: 'All statuses' },
            ...METER_STATUSES.map((value) => ({ value, label: statusLabel(value) })),
          ]}
        />
      </Group>
      <DataTable
        label="Meters"
        columns={columns}
        rows={meters.data?.items}
        rowKey={(meter) => meter.meter_number}
        loading={meters.isFetching}
        emptyText={list.params.q || status || filters.area ? 'No meters match these filters.' : 'No meters yet.'}
        sort={list.sort}
        onSortChange={list.setSort}
        minWidth={960}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={meters.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      {canWrite ? (
        <>
          <MeterFormModal
            opened={editing !== null}
            meter={editing === 'new' ? null : editing}
            onClose={() => setEditing(null)}
          />
          <DeleteDialog target={deleting} noun="meter" mutation={remove} onClose={() => setDeleting(null)} />
        </>
      ) : null}
    </Stack>
  );
}
