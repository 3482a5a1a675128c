import { Button, Code, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { formatDateTime } from '@/lib/format';
import { useAudit, type AuditEntry } from '@/features/audit/api/get-audit';

function Snapshot({ title, value }: { title: string; value: AuditEntry['before'] }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {value ? <Code block>{JSON.stringify(value, null, 2)}</Code> : <Text size="sm" c="dimmed">—</Text>}
    </Stack>
  );
}

export function AuditLog() {
  const [username, setUsername] = useState('');
  const [debouncedUsername] = useDebouncedValue(username.trim(), 300);
  const list = useListState(debouncedUsername, '-at');
  const audit = useAudit({ ...list.params, username: debouncedUsername || undefined });
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const columns: Column<AuditEntry>[] = [
    { key: 'at', header: 'Time', sortable: true, render: (e) => formatDateTime(e.at) },
    { key: 'username', header: 'User', sortable: true, render: (e) => e.username },
    { key: 'action', header: 'Action', sortable: true, render: (e) => e.action },
    { key: 'entity', header: 'Entity', sortable: true, render: (e) => e.entity },
    { key: 'entity_id', header: 'ID', render: (e) => e.entity_id ?? '—' },
    {
      key: 'changes',
      header: 'Changes',
      render: (entry) => {
        const open = expanded.has(entry.id);
        return (
          <Button
            variant="subtle"
            size="compact-sm"
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} changes of ${entry.entity} ${entry.entity_id ?? ''}`.trim()}
            leftSection={open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            onClick={() => toggle(entry.id)}
          >
            {open ? 'Hide' : 'Show'}
          </Button>
        );
      },
    },
  ];

  return (
    <Stack>
      <PageHeader title="Audit log" />
      <Group gap="sm">
        <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search action, entity, ID" />
        <TextInput
          aria-label="User filter"
          placeholder="Username"
          value={username}
          onChange={(event) => setUsername(event.currentTarget.value)}
          w={{ base: '100%', xs: 180 }}
        />
      </Group>
      <DataTable
        label="Audit log"
        columns={columns}
        rows={audit.data?.items}
        rowKey={(entry) => entry.id}
        loading={audit.isFetching}
        emptyText="No audit entries match."
        sort={list.sort}
        onSortChange={list.setSort}
        renderDetail={(entry) =>
          expanded.has(entry.id) ? (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Snapshot title="Before" value={entry.before} />
              <Snapshot title="After" value={entry.after} />
            </SimpleGrid>
          ) : null
        }
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={audit.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
    </Stack>
  );
}
