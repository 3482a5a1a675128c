import { Badge, Button, Group, Stack } from '@mantine/core';
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
import { useCustomers, type Customer, type CustomerFilters } from '@/features/customers/api/get-customers';
import { exportCustomers, useDeleteCustomer, useImportCustomers } from '@/features/customers/api/customer-mutations';
import { CustomerFormModal } from '@/features/customers/components/customer-form';

const NOUN = { one: 'customer', many: 'customers' };

const COLUMNS: Column<Customer>[] = [
  { key: 'name', header: 'Name', sortable: true, render: (c) => c.name },
  { key: 'address', header: 'Address', sortable: true, render: (c) => c.address },
  { key: 'phone', header: 'Phone', render: (c) => c.phone },
  {
    key: 'meter_numbers',
    header: 'Meters',
    render: (c) => (
      <Group gap={4}>
        {c.meter_numbers.map((number) => (
          <Badge key={number} variant="outline" tt="none" styles={{ label: { overflow: 'visible' } }}>
            {number}
          </Badge>
        ))}
      </Group>
    ),
  },
  { key: 'sim_number', header: 'SIM', render: (c) => c.sim_number ?? '—' },
  { key: 'updated_at', header: 'Updated', sortable: true, render: (c) => formatDateTime(c.updated_at) },
];

export function CustomersList() {
  const canWrite = usePermissions().can('customers:write');
  const [area] = useAreaFilter();
  const filters: CustomerFilters = { area: area || undefined };
  const list = useListState(JSON.stringify(filters), 'name');
  const customers = useCustomers({ ...filters, ...list.params });
  const importCustomers = useImportCustomers();
  const remove = useDeleteCustomer();
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);

  const columns = withRowActions(COLUMNS, canWrite, (customer: Customer) => ({
    subject: `customer ${customer.name}`,
    onEdit: () => setEditing(customer),
    onDelete: () => setDeleting({ id: customer.id, name: customer.name }),
  }));

  return (
    <Stack>
      <PageHeader title="Customers">
        {canWrite ? (
          <>
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add customer
            </Button>
            <ImportCsvButton resource="customers" noun={NOUN} mutation={importCustomers} />
          </>
        ) : null}
        <ExportCsvButton onExport={() => exportCustomers({ ...filters, q: list.params.q, sort: list.params.sort })} />
      </PageHeader>
      <Group>
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search name, address, phone, meter" />
      </Group>
      <DataTable
        label="Customers"
        columns={columns}
        rows={customers.data?.items}
        rowKey={(customer) => customer.id}
        loading={customers.isFetching}
        emptyText={list.params.q || filters.area ? 'No customers match these filters.' : 'No customers yet.'}
        sort={list.sort}
        onSortChange={list.setSort}
        minWidth={900}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={customers.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      {canWrite ? (
        <>
          <CustomerFormModal
            opened={editing !== null}
            customer={editing === 'new' ? null : editing}
            onClose={() => setEditing(null)}
          />
          <DeleteDialog target={deleting} noun="customer" mutation={remove} onClose={() => setDeleting(null)} />
        </>
      ) : null}
    </Stack>
  );
}
