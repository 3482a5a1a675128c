import { Button, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { formatDateTime } from '@/lib/format';
import { useUnregisteredDevices, type UnregisteredDevice } from '@/features/devices/api/get-unregistered-devices';

const COLUMNS: Column<UnregisteredDevice>[] = [
  {
    key: 'address',
    header: 'Address',
    render: (d) => (
      <Text ff="monospace" size="sm">
        {d.address}
      </Text>
    ),
  },
  { key: 'peer', header: 'Peer', render: (d) => d.peer ?? '—' },
  { key: 'first_seen', header: 'First seen', render: (d) => formatDateTime(d.first_seen) },
  { key: 'last_seen', header: 'Last seen', render: (d) => formatDateTime(d.last_seen) },
  { key: 'frames', header: 'Frames', render: (d) => d.frames },
];

/**
 * Devices that dialled in but are not in the archive. `onCommission`, when given, adds a
 * "Commission" button per device (the page composes it with the add-meter form).
 */
export function UnregisteredDevicesList({ onCommission }: { onCommission?: (address: string) => void }) {
  const list = useListState('unregistered');
  const devices = useUnregisteredDevices({ q: list.params.q, page: list.page, page_size: list.pageSize });

  const columns: Column<UnregisteredDevice>[] = onCommission
    ? [
        ...COLUMNS,
        {
          key: 'actions',
          header: 'Actions',
          render: (device) => (
            <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={() => onCommission(device.address)}>
              Commission
            </Button>
          ),
        },
      ]
    : COLUMNS;

  return (
    <Stack>
      <PageHeader title="Unregistered devices" />
      <Text size="sm" c="dimmed">
        Devices that dialled in but are not in the meter archive, most recently heard first.
        {onCommission ? ' Commission one to add it as a meter.' : ''}
      </Text>
      <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search address" />
      <DataTable
        label="Unregistered devices"
        columns={columns}
        rows={devices.data?.items}
        rowKey={(device) => device.address}
        loading={devices.isFetching && !devices.data}
        emptyText={list.params.q ? 'No devices match.' : 'No unregistered devices have dialled in.'}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={devices.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
    </Stack>
  );
}
