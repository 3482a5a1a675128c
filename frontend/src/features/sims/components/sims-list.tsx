import { Button, Group, Stack } from '@mantine/core';
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
import { useSims, type Sim, type SimFilters } from '@/features/sims/api/get-sims';
import { exportSims, useDeleteSim, useImportSims } from '@/features/sims/api/sim-mutations';
import { SimFormModal } from '@/features/sims/components/sim-form';

const NOUN = { one: 'SIM card', many: 'SIM cards' };

const COLUMNS: Column<Sim>[] = [
  { key: 'sim_number', header: 'SIM number', sortable: true, render: (s) => s.sim_number },
  { key: 'ip_address', header: 'IP address', sortable: true, render: (s) => s.ip_address },
  { key: 'port', header: 'Port', sortable: true, render: (s) => s.port },
  { key: 'meter_number', header: 'Meter', sortable: true, render: (s) => s.meter_number ?? '—' },
  { key: 'updated_at', header: 'Updated', sortable: true, render: (s) => formatDateTime(s.updated_at) },
];

export function SimsList() {
  const canWrite = usePermissions().can('sims:write');
  const [area] = useAreaFilter();
  const filters: SimFilters = { area: area || undefined };
  const list = useListState(JSON.stringify(filters), 'sim_number');
  const sims = useSims({ ...filters, ...list.params });
  const importSims = useImportSims();
  const remove = useDeleteSim();
  const [editing, setEditing] = useState<Sim | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);

  const columns = withRowActions(COLUMNS, canWrite, (sim: Sim) => ({
    subject: `SIM ${sim.sim_number}`,
    onEdit: () => setEditing(sim),
    onDelete: () => setDeleting({ id: sim.sim_number, name: sim.sim_number }),
  }));

  return (
    <Stack>
      <PageHeader title="SIM cards">
        {canWrite ? (
          <>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add SIM card
            </Button>
            <ImportCsvButton resource="sims" noun={NOUN} mutation={importSims} />
          </>
        ) : null}
        <ExportCsvButton onExport={() => exportSims({ ...filters, q: list.params.q, sort: list.params.sort })} />
      </PageHeader>
      <Group>
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search SIM, IP, meter" />
      </Group>
      <DataTable
        label="SIM cards"
        columns={columns}
        rows={sims.data?.items}
        rowKey={(sim) => sim.sim_number}
        loading={sims.isFetching}
        emptyText={list.params.q || filters.area ? 'No SIM cards match these filters.' : 'No SIM cards yet.'}
        sort={list.sort}
        onSortChange={list.setSort}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={sims.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      {canWrite ? (
        <>
          <SimFormModal opened={editing !== null} sim={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
          <DeleteDialog target={deleting} noun="SIM card" mutation={remove} onClose={() => setDeleting(null)} />
        </>
      ) : null}
    </Stack>
  );
}
