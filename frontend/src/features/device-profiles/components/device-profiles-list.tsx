import { ActionIcon, Anchor, Badge, Button, Group, Stack, Tooltip } from '@mantine/core';
import { IconChevronRight, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { generatePath, Link, useNavigate } from 'react-router';
import { DataTable, type Column } from '@/components/ui/data-table';
import { DeleteDialog, type DeleteTarget } from '@/components/ui/delete-dialog';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { RowActions } from '@/components/ui/row-actions';
import { SearchInput } from '@/components/ui/search-input';
import { paths } from '@/config/paths';
import { useListState } from '@/hooks/use-list-state';
import { usePermissions } from '@/lib/authorization';
import { useDeleteDeviceProfile } from '@/features/device-profiles/api/device-profile-mutations';
import { useDeviceProfiles, type DeviceProfile } from '@/features/device-profiles/api/get-device-profiles';
import { DeviceProfileFormModal } from '@/features/device-profiles/components/device-profile-form';

const profileHref = (profile: DeviceProfile) => generatePath(paths.deviceProfile, { id: profile.id });
const profileName = (profile: DeviceProfile) => `${profile.brand} ${profile.model}`;

export function DeviceProfilesList() {
  const canWrite = usePermissions().can('profiles:write');
  const navigate = useNavigate();
  const list = useListState('', 'brand');
  const profiles = useDeviceProfiles(list.params);
  const remove = useDeleteDeviceProfile();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);

  const columns: Column<DeviceProfile>[] = [
    {
      key: 'brand',
      header: 'Brand',
      sortable: true,
      render: (profile) => (
        <Group gap="xs" wrap="nowrap">
          <Anchor component={Link} to={profileHref(profile)} fw={500}>
            {profile.brand}
          </Anchor>
          {profile.is_default ? (
            <Badge variant="light" size="sm">
              Default
            </Badge>
          ) : null}
        </Group>
      ),
    },
    { key: 'model', header: 'Model', render: (profile) => profile.model },
    { key: 'meter_type', header: 'Meter type', render: (profile) => profile.meter_type ?? '—' },
    { key: 'objects', header: 'Objects', render: (profile) => profile.objects.length },
    { key: 'meter_count', header: 'Meters', render: (profile) => profile.meter_count },
    {
      key: 'actions',
      header: 'Actions',
      render: (profile) => (
        <RowActions
          subject={`device profile ${profileName(profile)}`}
          // Meters without a profile of their own use the default one: it is not offered for deletion.
          onDelete={
            canWrite && !profile.is_default
              ? () => setDeleting({ id: profile.id, name: profileName(profile) })
              : undefined
          }
        >
          <Tooltip label="Open">
            <ActionIcon
              variant="subtle"
              component={Link}
              to={profileHref(profile)}
              aria-label={`Open device profile ${profileName(profile)}`}
            >
              <IconChevronRight size={18} />
            </ActionIcon>
          </Tooltip>
        </RowActions>
      ),
    },
  ];

  return (
    <Stack>
      <PageHeader title="Device profiles">
        {canWrite ? (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            Add device profile
          </Button>
        ) : null}
      </PageHeader>
      <Group>
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search brand, model, meter type" />
      </Group>
      <DataTable
        label="Device profiles"
        columns={columns}
        rows={profiles.data?.items}
        rowKey={(profile) => profile.id}
        loading={profiles.isFetching}
        emptyText={list.params.q ? 'No device profiles match this search.' : 'No device profiles yet.'}
        sort={list.sort}
        onSortChange={list.setSort}
        onRowClick={(profile) => void navigate(profileHref(profile))}
        minWidth={720}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={profiles.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      {canWrite ? (
        <>
          <DeviceProfileFormModal opened={adding} profile={null} onClose={() => setAdding(false)} />
          <DeleteDialog target={deleting} noun="device profile" mutation={remove} onClose={() => setDeleting(null)} />
        </>
      ) : null}
    </Stack>
  );
}
