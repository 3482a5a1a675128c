import { ActionIcon, Badge, Button, Group, Stack, Tooltip } from '@mantine/core';
import { IconKey, IconPlus, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { DeleteDialog, type DeleteTarget } from '@/components/ui/delete-dialog';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { RowActions } from '@/components/ui/row-actions';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { useUser } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { notifySuccess } from '@/lib/notify';
import { useUserCustomerOptions, useUsers, type User } from '@/features/users/api/get-users';
import { useDeleteUser, useToggleUser } from '@/features/users/api/user-mutations';
import { ResetPasswordDialog } from '@/features/users/components/reset-password-dialog';
import { RoleBadge } from '@/features/users/components/role-badge';
import { UserFormModal } from '@/features/users/components/user-form';

function UserStatus({ user }: { user: User }) {
  return (
    <Group gap={4}>
      <Badge variant="dot" color={user.disabled ? 'gray' : 'green'}>
        {user.disabled ? 'Disabled' : 'Enabled'}
      </Badge>
      {user.must_change_password ? (
        <Badge variant="light" color="yellow">
          Must change password
        </Badge>
      ) : null}
    </Group>
  );
}

export function UsersList() {
  const me = useUser().data;
  const list = useListState('', 'username');
  const users = useUsers(list.params);
  const customers = useUserCustomerOptions();
  const toggle = useToggleUser();
  const remove = useDeleteUser();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);

  const customerName = (id: string | null | undefined) =>
    id ? (customers.data?.items.find((customer) => customer.id === id)?.name ?? id) : '—';

  const setDisabled = (user: User, disabled: boolean) =>
    toggle.mutate(
      { username: user.username, body: { disabled } },
      { onSuccess: () => notifySuccess(`User ${user.username} ${disabled ? 'disabled' : 'enabled'}.`) },
    );

  const rowActions = (user: User) => {
    const self = user.username === me?.username;
    const ToggleIcon = user.disabled ? IconUserCheck : IconUserOff;
    const toggleLabel = `${user.disabled ? 'Enable' : 'Disable'} user ${user.username}`;
    return (
      <RowActions
        subject={`user ${user.username}`}
        onEdit={() => setEditing(user)}
        onDelete={self ? undefined : () => setDeleting({ id: user.username, name: user.username })}
      >
        <Tooltip label="Reset password">
          <ActionIcon variant="subtle" aria-label={`Reset password of ${user.username}`} onClick={() => setResetting(user)}>
            <IconKey size={18} />
          </ActionIcon>
        </Tooltip>
        {self ? null : (
          <Tooltip label={user.disabled ? 'Enable' : 'Disable'}>
            <ActionIcon
              variant="subtle"
              aria-label={toggleLabel}
              loading={toggle.isPending && toggle.variables.username === user.username}
              onClick={() => setDisabled(user, !user.disabled)}
            >
              <ToggleIcon size={18} />
            </ActionIcon>
          </Tooltip>
        )}
      </RowActions>
    );
  };

  const columns: Column<User>[] = [
    { key: 'username', header: 'Username', sortable: true, render: (u) => u.username },
    { key: 'full_name', header: 'Full name', sortable: true, render: (u) => u.full_name || '—' },
    { key: 'role', header: 'Role', sortable: true, render: (u) => <RoleBadge role={u.role} /> },
    { key: 'customer_id', header: 'Customer', render: (u) => customerName(u.customer_id) },
    { key: 'disabled', header: 'Status', render: (u) => <UserStatus user={u} /> },
    { key: 'last_login_at', header: 'Last login', sortable: true, render: (u) => formatDateTime(u.last_login_at) },
    { key: 'actions', header: 'Actions', render: rowActions },
  ];

  return (
    <Stack>
      <PageHeader title="Users">
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          Add user
        </Button>
      </PageHeader>
      <Group>
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search users" />
      </Group>
      <DataTable
        label="Users"
        columns={columns}
        rows={users.data?.items}
        rowKey={(user) => user.username}
        loading={users.isFetching}
        emptyText="No users match."
        sort={list.sort}
        onSortChange={list.setSort}
        minWidth={960}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={users.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      <UserFormModal opened={editing !== null} user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
      <DeleteDialog target={deleting} noun="user" mutation={remove} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
