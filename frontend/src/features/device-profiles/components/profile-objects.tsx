import { Badge, Button, Card, Group, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconDownload, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { ImportCsvButton } from '@/components/csv/csv-buttons';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { Column } from '@/components/ui/data-table';
import { RowActions } from '@/components/ui/row-actions';
import { useDownload } from '@/lib/csv';
import { plural } from '@/lib/format';
import { notifySuccess } from '@/lib/notify';
import {
  downloadObjectsTemplate,
  useImportProfileObjects,
  useUpdateDeviceProfile,
} from '@/features/device-profiles/api/device-profile-mutations';
import type { CosemObject, DeviceProfile } from '@/features/device-profiles/api/get-device-profiles';
import { DiscoverObjectsButton } from '@/features/device-profiles/components/discover-objects';
import { ObjectFormModal } from '@/features/device-profiles/components/object-form';
import { objectKey, objectLabel } from '@/features/device-profiles/utils/cosem';

const NOUN = { one: 'object', many: 'objects' };

/** An object with its place in the profile's list, which is how edits address it. */
type Row = CosemObject & { position: number };

const COLUMNS: Column<Row>[] = [
  {
    key: 'obis',
    header: 'OBIS code',
    render: (o) => (
      <Text ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
        {o.obis}
      </Text>
    ),
  },
  { key: 'kind', header: 'Kind', render: (o) => o.kind },
  { key: 'class_id', header: 'Class ID', render: (o) => o.class_id },
  { key: 'index', header: 'Index', render: (o) => o.index },
  { key: 'name', header: 'Name', render: (o) => o.name },
  { key: 'unit', header: 'Unit', render: (o) => o.unit ?? '—' },
  { key: 'scaler', header: 'Scaler', render: (o) => o.scaler ?? '—' },
  { key: 'access', header: 'Access', render: (o) => o.access },
  {
    key: 'data_type',
    header: 'Data type',
    render: (o) => (
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {o.data_type ?? '—'}
      </Text>
    ),
  },
];

/** The groups in the order they first appear in the list (an OBIS file's order). */
function groupObjects(objects: CosemObject[]) {
  const groups = new Map<string, Row[]>();
  objects.forEach((object, position) => {
    const rows = groups.get(object.group) ?? [];
    rows.push({ ...object, position });
    groups.set(object.group, rows);
  });
  return [...groups.entries()];
}

function ImportObjectsButton({ profile }: { profile: DeviceProfile }) {
  const importObjects = useImportProfileObjects(profile.id);
  return (
    <ImportCsvButton
      label="Import OBIS file"
      title="Import OBIS file"
      noun={NOUN}
      mutation={importObjects}
      downloadTemplate={downloadObjectsTemplate}
      notice={
        <>
          The file <strong>replaces all {plural(profile.objects.length, 'object', 'objects')}</strong> of {profile.brand}{' '}
          {profile.model}; objects missing from the file are removed. The push layout must still fit the new objects,
          or nothing is imported. One row per object: OBIS Code, Class ID, Kind, Index, Name, Group, Unit, Scaler,
          Access, Data Type.
        </>
      }
    />
  );
}

export function ProfileObjects({
  profile,
  canWrite,
  canDiscover = false,
}: {
  profile: DeviceProfile;
  canWrite: boolean;
  /** Reading a meter's object list is a command: it needs `commands:execute`. */
  canDiscover?: boolean;
}) {
  const update = useUpdateDeviceProfile();
  const template = useDownload(downloadObjectsTemplate);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const [collapsed, setCollapsed] = useState<string[]>([]);
  const groups = groupObjects(profile.objects);

  const inPushLayout = (object: CosemObject) =>
    object.kind === 'attribute' &&
    profile.push_layout.some((entry) => entry.obis === object.obis && entry.index === object.index);

  const closeDelete = () => {
    update.reset();
    setDeleting(null);
  };
  const confirmDelete = (row: Row) =>
    update.mutate(
      { id: profile.id, body: { objects: profile.objects.filter((_, index) => index !== row.position) } },
      {
        onSuccess: () => {
          notifySuccess(`Deleted object ${objectLabel(row)}.`);
          closeDelete();
        },
      },
    );

  const columns: Column<Row>[] = canWrite
    ? [
        ...COLUMNS,
        {
          key: 'actions',
          header: 'Actions',
          render: (row) => (
            <RowActions
              subject={`object ${objectLabel(row)}`}
              onEdit={() => setEditing(row.position)}
              onDelete={() => setDeleting(row)}
            />
          ),
        },
      ]
    : COLUMNS;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-objects-title">
      <Stack>
        <Group justify="space-between" gap="sm">
          <Group gap="xs">
            <Title order={3} id="profile-objects-title">
              Objects
            </Title>
            <Badge variant="light">{profile.objects.length}</Badge>
          </Group>
          {canWrite || canDiscover ? (
            <Group gap="xs">
              {canWrite ? (
                <>
                  <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                    Add object
                  </Button>
                  <ImportObjectsButton profile={profile} />
                </>
              ) : null}
              {canDiscover ? <DiscoverObjectsButton profile={profile} /> : null}
              {canWrite ? (
                <Button
                  variant="default"
                  leftSection={<IconDownload size={16} />}
                  loading={template.isPending}
                  onClick={() => template.mutate()}
                >
                  Download template
                </Button>
              ) : null}
            </Group>
          ) : null}
        </Group>
        {groups.length === 0 ? (
          <Text c="dimmed" ta="center" py="lg">
            {canWrite ? 'No objects yet. Add them one by one, or import an OBIS file.' : 'No objects yet.'}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={960}>
            <Table aria-label="Objects" highlightOnHover verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  {columns.map((column) => (
                    <Table.Th key={column.key} style={{ whiteSpace: 'nowrap' }}>
                      {column.header}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              {groups.map(([group, rows]) => {
                const open = !collapsed.includes(group);
                const Chevron = open ? IconChevronDown : IconChevronRight;
                return (
                  <Table.Tbody key={group}>
                    <Table.Tr bg="var(--mantine-color-default-hover)">
                      <Table.Td colSpan={columns.length} p={0}>
                        <UnstyledButton
                          w="100%"
                          px="sm"
                          py={8}
                          aria-expanded={open}
                          onClick={() =>
                            setCollapsed(open ? [...collapsed, group] : collapsed.filter((other) => other !== group))
                          }
                        >
                          <Group gap="xs" wrap="nowrap">
                            <Chevron size={16} aria-hidden />
                            <Text fw={600} size="sm">
                              {group}
                            </Text>
                            <Text size="sm" c="dimmed">
                              {plural(rows.length, 'object', 'objects')}
                            </Text>
                          </Group>
                        </UnstyledButton>
                      </Table.Td>
                    </Table.Tr>
                    {open
                      ? rows.map((row) => (
                          <Table.Tr key={objectKey(row)}>
                            {columns.map((column) => (
                              <Table.Td key={column.key}>{column.render(row)}</Table.Td>
                            ))}
                          </Table.Tr>
                        ))
                      : null}
                  </Table.Tbody>
                );
              })}
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {canWrite ? (
        <>
          <ObjectFormModal
            opened={editing !== null}
            profile={profile}
            position={typeof editing === 'number' ? editing : null}
            onClose={() => setEditing(null)}
          />
          <ConfirmDialog
            opened={deleting !== null}
            title="Delete object"
            loading={update.isPending}
            error={update.error}
            onConfirm={() => deleting && confirmDelete(deleting)}
            onClose={closeDelete}
          >
            Delete object {deleting ? `${objectLabel(deleting)} (${deleting.name})` : ''}?
            {deleting && inPushLayout(deleting)
              ? ' It is in the push layout: remove it there first, or the profile refuses the change.'
              : ''}
          </ConfirmDialog>
        </>
      ) : null}
    </Card>
  );
}
