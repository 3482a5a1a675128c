import { ActionIcon, Alert, Button, Card, Group, NativeSelect, Skeleton, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { usePermissions } from '@/lib/authorization';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useAreaOptions } from '@/features/areas/api/get-areas';
import {
  CADENCES,
  REPORT_FORMATS,
  usePutSchedules,
  useReportSchedules,
  type ReportFormat,
  type ReportSchedule,
  type ScheduleCadence,
} from '@/features/operations/api/reports';
import { humanize } from '@/features/operations/utils/format';

/** A schedule as edited here; `key` only tells the rows apart. */
type Row = ReportSchedule & { key: string };

let nextKey = 0;
const newRow = (): Row => ({ key: `new-${++nextKey}`, area_id: null, cadence: 'daily', format: 'csv', enabled: true });

const CADENCE_OPTIONS = CADENCES.map((value) => ({ value, label: humanize(value) }));
const FORMAT_OPTIONS = REPORT_FORMATS.map((value) => ({ value, label: value.toUpperCase() }));

/**
 * The scheduled consumption exports. An admin edits a copy of the list and saves it whole (the
 * server replaces them all); everyone else sees it as it is.
 */
export function ReportSchedules() {
  const canEdit = usePermissions().can('settings:manage');
  const schedules = useReportSchedules();
  const areas = useAreaOptions().data?.items ?? [];
  const save = usePutSchedules();
  const [draft, setDraft] = useState<Row[] | null>(null);

  const saved: Row[] | undefined = schedules.data?.items.map(({ id, ...rest }) => ({ ...rest, key: id }));
  const rows = draft ?? saved;
  const areaName = (id: string | null) => (id ? (areas.find((item) => item.id === id)?.name ?? id) : 'All areas');
  const areaOptions = [{ value: '', label: 'All areas' }, ...areas.map((item) => ({ value: item.id, label: item.name }))];

  const edit = (next: Row[] | null) => {
    save.reset();
    setDraft(next);
  };
  const change = (key: string, patch: Partial<ReportSchedule>) =>
    edit((rows ?? []).map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const submit = () => {
    if (!draft) return;
    save.mutate(
      { items: draft.map(({ area_id, cadence, format, enabled }) => ({ area_id, cadence, format, enabled })) },
      {
        onSuccess: () => {
          notifySuccess('Scheduled exports saved.');
          setDraft(null);
        },
      },
    );
  };

  let body;
  if (!rows) {
    body = <Skeleton height={80} radius="sm" />;
  } else if (rows.length === 0 && !canEdit) {
    body = (
      <Text size="sm" c="dimmed">
        No scheduled exports.
      </Text>
    );
  } else {
    body = (
      <Table aria-label="Scheduled exports" verticalSpacing="xs" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Area</Table.Th>
            <Table.Th>Cadence</Table.Th>
            <Table.Th>Format</Table.Th>
            <Table.Th>Enabled</Table.Th>
            {canEdit ? <Table.Th aria-label="Actions" /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed" ta="center">
                  No scheduled exports yet.
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map((row, index) => {
            const n = index + 1;
            return canEdit ? (
              <Table.Tr key={row.key}>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Area of schedule ${n}`}
                    value={row.area_id ?? ''}
                    onChange={(event) => change(row.key, { area_id: event.currentTarget.value || null })}
                    data={areaOptions}
                  />
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Cadence of schedule ${n}`}
                    value={row.cadence}
                    onChange={(event) => change(row.key, { cadence: event.currentTarget.value as ScheduleCadence })}
                    data={CADENCE_OPTIONS}
                  />
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Format of schedule ${n}`}
                    value={row.format}
                    onChange={(event) => change(row.key, { format: event.currentTarget.value as ReportFormat })}
                    data={FORMAT_OPTIONS}
                  />
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`Schedule ${n} enabled`}
                    checked={row.enabled}
                    onChange={(event) => change(row.key, { enabled: event.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove schedule ${n}`}
                    onClick={() => edit(rows.filter((item) => item.key !== row.key))}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr key={row.key}>
                <Table.Td>{areaName(row.area_id)}</Table.Td>
                <Table.Td>{humanize(row.cadence)}</Table.Td>
                <Table.Td>{row.format.toUpperCase()}</Table.Td>
                <Table.Td>{row.enabled ? 'Yes' : 'No'}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    );
  }

  return (
    <Card withBorder padding="md" component="section" aria-label="Scheduled exports">
      <Stack gap="sm">
        <Title order={4}>Scheduled exports</Title>
        <Text size="sm" c="dimmed">
          Consumption files made automatically: daily = yesterday by hour, monthly = last month by day; the files appear in
          the list above.
        </Text>
        {body}
        {save.error ? (
          <Alert color="red" title="The schedules were not saved">
            {errorMessage(save.error)}
          </Alert>
        ) : null}
        {canEdit && rows ? (
          <Group justify="space-between">
            <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => edit([...rows, newRow()])}>
              Add schedule
            </Button>
            <Group gap="xs">
              {draft ? (
                <Button variant="default" onClick={() => edit(null)}>
                  Discard
                </Button>
              ) : null}
              <Button disabled={!draft} loading={save.isPending} onClick={submit}>
                Save
              </Button>
            </Group>
          </Group>
        ) : null}
      </Stack>
    </Card>
  );
}
