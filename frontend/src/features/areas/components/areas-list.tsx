import { Button, Group, Stack } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { DataTable } from '@/components/ui/data-table';
import { DeleteDialog, type DeleteTarget } from '@/components/ui/delete-dialog';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { withRowActions } from '@/components/ui/row-actions';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { usePermissions } from '@/lib/authorization';
import { formatDateTime } from '@/lib/format';
import { useDeleteArea } from '@/features/areas/api/area-mutations';
import { useAreas, type Area } from '@/features/areas/api/get-areas';
import { AreaFormModal } from '@/features/areas/components/area-form';

export function AreasList() {
  const canWrite = usePermissions().can('areas:write');
  const list = useListState('', 'name');
  const areas = useAreas(list.params);
  const remove = useDeleteArea();
  const [editing, setEditing] = useState<Area | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);

  const columns = withRowActions<Area>(
    [
      { key: 'name', header: 'Name', sortable: true, render: (area) => area.name },
      { key: 'description', header: 'Description', render: (area) => area.description || '—' },
      { key: 'check_meter', header: 'Check meter', render: (area) => area.supply?.check_meter ?? '—' },
      { key: 'meter_count', header: 'Meters', sortable: true, render: (area) => area.meter_count },
      { key: 'updated_at', header: 'Updated', sortable: true, render: (area) => formatDateTime(area.updated_at) },
    ],
    canWrite,
    (area) => ({
      subject: `area ${area.name}`,
      onEdit: () => setEditing(area),
      onDelete: () => setDeleting({ id: area.id, name: area.name }),
    }),
  );

  return (
    <Stack>
      <PageHeader title="Areas">
        {canWrite ? (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            Add area
          </Button>
        ) : null}
      </PageHeader>
      <Group>
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search areas" />
      </Group>
      <DataTable
        label="Areas"
        columns={columns}
        rows={areas.data?.items}
        rowKey={(area) => area.id}
        loading={areas.isFetching}
        emptyText="No areas yet."
        sort={list.sort}
        onSortChange={list.setSort}
        minWidth={560}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={areas.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      <AreaFormModal
        opened={editing !== null}
        area={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
      <DeleteDialog target={deleting} noun="area" mutation={remove} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
