import { Badge, Button, Checkbox, Group, Modal, NativeSelect, ScrollArea, Stack, Text } from '@mantine/core';
import { IconDownload, IconListCheck, IconPlayerPlay } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { SearchInput } from '@/components/ui/search-input';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { usePermissions } from '@/lib/authorization';
import { plural } from '@/lib/format';
import { notifyError } from '@/lib/notify';
import {
  useMeterList,
  useProfile,
  type CosemObject,
  type Meter,
  type MeterListParams,
} from '@/features/meter-ops/api/get-meter-ops';
import { jobsQueryKey, useCreateJob, type JobKind } from '@/features/meter-ops/api/jobs';
import { JobProgress, RecentJobs } from '@/features/meter-ops/components/job-progress';
import { OnlineIndicator } from '@/features/meter-ops/components/online-status';
import { formatReadTime, groupObjects } from '@/features/meter-ops/utils/values';

const METER_STATUSES = ['warehouse', 'installed', 'active', 'faulty', 'decommissioned'] as const satisfies readonly Meter['status'][];
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const objectKey = (object: CosemObject) => `${object.kind}|${object.obis}|${object.index}`;
const isReadable = (object: CosemObject) =>
  object.kind === 'attribute' && (object.access === 'R' || object.access === 'RW');
const isExecutable = (object: CosemObject) => object.kind === 'method' && object.access === 'X';

const COLUMNS: Column<Meter>[] = [
  {
    key: 'meter_number',
    header: 'Meter number',
    sortable: true,
    render: (m) => (
      <Text ff="monospace" size="sm">
        {m.meter_number}
      </Text>
    ),
  },
  { key: 'online', header: 'Online', render: (m) => <OnlineIndicator online={m.online} /> },
  { key: 'last_seen', header: 'Last seen', render: (m) => formatReadTime(m.last_seen) },
  { key: 'status', header: 'Status', sortable: true, render: (m) => capitalise(m.status) },
  { key: 'customer_name', header: 'Customer', sortable: true, render: (m) => m.customer_name ?? '—' },
  { key: 'area_name', header: 'Area', sortable: true, render: (m) => m.area_name ?? '—' },
];

/** The default profile's readable attributes and methods, by group, to tick for a job. */
function ParametersDialog({
  opened,
  objects,
  checked,
  onChange,
  onClose,
}: {
  opened: boolean;
  objects: CosemObject[];
  checked: Set<string>;
  onChange: (checked: Set<string>) => void;
  onClose: () => void;
}) {
  const choosable = objects.filter((object) => isReadable(object) || isExecutable(object));
  const toggle = (keys: string[], on: boolean) => {
    const next = new Set(checked);
    for (const key of keys) {
      if (on) next.add(key);
      else next.delete(key);
    }
    onChange(next);
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Parameters" size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          The default profile&apos;s parameters. Read uses the readable ones (R, RW) ticked here; Execute runs the ticked
          methods (X).
        </Text>
        <ScrollArea.Autosize mah="60vh">
          <Stack gap="md">
            {groupObjects(choosable).map(([group, items]) => {
              const keys = items.map(objectKey);
              const ticked = keys.filter((key) => checked.has(key)).length;
              return (
                <Stack key={group} gap={6} role="group" aria-label={group}>
                  <Checkbox
                    label={<Text fw={600}>{group}</Text>}
                    aria-label={`All of ${group}`}
                    checked={ticked === keys.length}
                    indeterminate={ticked > 0 && ticked < keys.length}
                    onChange={(event) => toggle(keys, event.currentTarget.checked)}
                  />
                  <Stack gap={4} pl="lg">
                    {items.map((object) => (
                      <Checkbox
                        key={objectKey(object)}
                        label={
                          <Group gap={6} wrap="nowrap">
                            <span>{object.name}</span>
                            <Badge size="xs" variant="light" color={isExecutable(object) ? 'orange' : 'blue'}>
                              {object.access}
                            </Badge>
                          </Group>
                        }
                        aria-label={object.name}
                        description={`${object.obis} ${object.kind} ${object.index}`}
                        checked={checked.has(objectKey(object))}
                        onChange={(event) => toggle([objectKey(object)], event.currentTarget.checked)}
                      />
                    ))}
                  </Stack>
                </Stack>
              );
            })}
          </Stack>
        </ScrollArea.Autosize>
        <Group justify="space-between">
          <Group gap="xs">
            <Button variant="subtle" size="xs" onClick={() => toggle(choosable.filter(isReadable).map(objectKey), true)}>
              Tick all readable
            </Button>
            <Button variant="subtle" size="xs" color="gray" onClick={() => onChange(new Set())}>
              Clear
            </Button>
          </Group>
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Real-time monitoring: every meter's presence, and read or execute jobs on the ticked meters. */
export function Monitoring() {
  const canExecute = usePermissions().can('commands:execute');
  const queryClient = useQueryClient();
  const [area] = useAreaFilter();
  const [status, setStatus] = useState<Meter['status'] | ''>('');
  const filters: MeterListParams = { area: area || undefined, status: status || undefined };
  const list = useListState(JSON.stringify(filters), 'meter_number');
  const meters = useMeterList({ ...filters, ...list.params });
  const profile = useProfile(null);
  const objects = profile.data?.objects ?? [];
  const createJob = useCreateJob();

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [choosing, setChoosing] = useState(false);
  const [confirmingExecute, setConfirmingExecute] = useState(false);
  const [activeJob, setActiveJob] = useState<string | null>(null);

  const rows = meters.data?.items ?? [];
  const ticked = objects.filter((object) => checked.has(objectKey(object)));
  const readable = ticked.filter(isReadable);
  const executable = ticked.filter(isExecutable);
  const pageNumbers = rows.map((meter) => meter.meter_number);
  const onPage = pageNumbers.filter((number) => selected.has(number)).length;

  const select = (numbers: string[], on: boolean) => {
    const next = new Set(selected);
    for (const number of numbers) {
      if (on) next.add(number);
      else next.delete(number);
    }
    setSelected(next);
  };

  const run = (kind: JobKind, items: CosemObject[]) =>
    createJob.mutate(
      {
        kind,
        meters: [...selected],
        items: items.map((object) => ({ obis: object.obis, class_id: object.class_id, index: object.index })),
      },
      {
        onSuccess: ({ id }) => {
          setActiveJob(id);
          setConfirmingExecute(false);
          void queryClient.invalidateQueries({ queryKey: [...jobsQueryKey, 'list'] });
        },
        onError: (error) => {
          if (kind === 'read') notifyError('The job was not started', error);
        },
      },
    );

  const selectColumn: Column<Meter> = {
    key: 'select',
    header: (
      <Checkbox
        aria-label="Select all"
        checked={rows.length > 0 && onPage === rows.length}
        indeterminate={onPage > 0 && onPage < rows.length}
        disabled={rows.length === 0}
        onChange={(event) => select(pageNumbers, event.currentTarget.checked)}
      />
    ),
    render: (meter) => (
      <Checkbox
        aria-label={`Select ${meter.meter_number}`}
        checked={selected.has(meter.meter_number)}
        onChange={(event) => select([meter.meter_number], event.currentTarget.checked)}
      />
    ),
  };

  return (
    <Stack>
      <PageHeader title="Real-time monitoring">
        {canExecute ? (
          <>
            <Button variant="default" leftSection={<IconListCheck size={16} />} onClick={() => setChoosing(true)}>
              Parameters
            </Button>
            <Button
              leftSection={<IconDownload size={16} />}
              disabled={selected.size === 0 || readable.length === 0}
              loading={createJob.isPending && !confirmingExecute}
              onClick={() => run('read', readable)}
            >
              Read
            </Button>
            <Button
              color="orange"
              leftSection={<IconPlayerPlay size={16} />}
              disabled={selected.size === 0 || executable.length === 0}
              onClick={() => {
                createJob.reset();
                setConfirmingExecute(true);
              }}
            >
              Execute
            </Button>
          </>
        ) : null}
      </PageHeader>
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <SearchInput value={list.search} onChange={list.setSearch} placeholder="Search meter number" />
          <NativeSelect
            aria-label="Status filter"
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as Meter['status'] | '')}
            data={[
              { value: '', label: 'All statuses' },
              ...METER_STATUSES.map((value) => ({ value, label: capitalise(value) })),
            ]}
          />
        </Group>
        {canExecute ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              {plural(selected.size, 'meter', 'meters')} and {plural(readable.length + executable.length, 'parameter', 'parameters')}{' '}
              selected
            </Text>
            {selected.size > 0 ? (
              <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setSelected(new Set())}>
                Clear selection
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Group>
      {activeJob ? <JobProgress key={activeJob} jobId={activeJob} objects={objects} /> : null}
      <DataTable
        label="Meters"
        columns={canExecute ? [selectColumn, ...COLUMNS] : COLUMNS}
        rows={meters.data?.items}
        rowKey={(meter) => meter.meter_number}
        loading={meters.isFetching && !meters.data}
        emptyText={list.params.q || status || filters.area ? 'No meters match these filters.' : 'No meters yet.'}
        sort={list.sort}
        onSortChange={list.setSort}
        minWidth={860}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={meters.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      <RecentJobs activeId={activeJob} onShow={setActiveJob} />
      {canExecute ? (
        <>
          <ParametersDialog
            opened={choosing}
            objects={objects}
            checked={checked}
            onChange={setChecked}
            onClose={() => setChoosing(false)}
          />
          <ConfirmDialog
            opened={confirmingExecute}
            title="Execute methods"
            confirmLabel="Confirm"
            loading={createJob.isPending}
            error={createJob.error}
            onConfirm={() => run('action', executable)}
            onClose={() => setConfirmingExecute(false)}
          >
            Execute {executable.map((object) => object.name).join(', ')} on {plural(selected.size, 'meter', 'meters')}? The
            meters act on it at once.
          </ConfirmDialog>
        </>
      ) : null}
    </Stack>
  );
}
