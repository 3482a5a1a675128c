import { Alert, Badge, Button, Checkbox, Group, Loader, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconRadar } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { plural } from '@/lib/format';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useUpdateDeviceProfile } from '@/features/device-profiles/api/device-profile-mutations';
import {
  useDiscovery,
  useStartDiscovery,
  type DiscoveredObject,
} from '@/features/device-profiles/api/discover-objects';
import type { CosemObject, DeviceProfile } from '@/features/device-profiles/api/get-device-profiles';
import { objectKey, objectLabel } from '@/features/device-profiles/utils/cosem';

/** The group discovered objects join; unit, scaler and data type are for people to fill in afterwards. */
export const DISCOVERED_GROUP = 'Discovered';

const toCosemObject = (object: DiscoveredObject): CosemObject => ({
  obis: object.obis,
  class_id: object.class_id,
  kind: object.kind,
  index: object.index,
  name: object.name,
  group: DISCOVERED_GROUP,
  unit: null,
  scaler: null,
  access: object.access,
  data_type: null,
});

function DiscoveredObjects({
  profile,
  objects,
  onDone,
}: {
  profile: DeviceProfile;
  objects: DiscoveredObject[];
  onDone: () => void;
}) {
  const update = useUpdateDeviceProfile();
  const [selected, setSelected] = useState<string[]>([]);
  // The API marks what the profile already has; the profile on screen is checked too.
  const existing = new Set(profile.objects.map(objectKey));
  const isNew = (object: DiscoveredObject) => !object.in_profile && !existing.has(objectKey(object));
  const newKeys = objects.filter(isNew).map(objectKey);
  const allSelected = newKeys.length > 0 && newKeys.every((key) => selected.includes(key));
  const chosen = objects.filter((object) => isNew(object) && selected.includes(objectKey(object)));

  const toggle = (key: string, on: boolean) =>
    setSelected(on ? [...selected, key] : selected.filter((other) => other !== key));

  const add = () =>
    update.mutate(
      { id: profile.id, body: { objects: [...profile.objects, ...chosen.map(toCosemObject)] } },
      {
        onSuccess: () => {
          notifySuccess(`Added ${plural(chosen.length, 'object', 'objects')} to ${profile.brand} ${profile.model}.`);
          onDone();
        },
      },
    );

  if (objects.length === 0) return <Alert color="yellow">The meter listed no objects.</Alert>;
  return (
    <Stack>
      <Group justify="space-between">
        <Checkbox
          label="Select all new"
          checked={allSelected}
          indeterminate={!allSelected && chosen.length > 0}
          disabled={newKeys.length === 0}
          onChange={(event) => setSelected(event.currentTarget.checked ? newKeys : [])}
        />
        <Text size="sm" c="dimmed">
          {plural(objects.length, 'object', 'objects')} found, {newKeys.length} new
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={720} maxHeight={420}>
        <Table aria-label="Discovered objects" stickyHeader verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th aria-label="Select" />
              <Table.Th>OBIS code</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Class ID</Table.Th>
              <Table.Th>Index</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Access</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {objects.map((object) => {
              const key = objectKey(object);
              const fresh = isNew(object);
              return (
                <Table.Tr key={key} c={fresh ? undefined : 'dimmed'}>
                  <Table.Td>
                    {fresh ? (
                      <Checkbox
                        aria-label={`Select ${objectLabel(object)}`}
                        checked={selected.includes(key)}
                        onChange={(event) => toggle(key, event.currentTarget.checked)}
                      />
                    ) : (
                      <Badge variant="light" color="gray" size="sm">
                        In profile
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {object.obis}
                    </Text>
                  </Table.Td>
                  <Table.Td>{object.kind}</Table.Td>
                  <Table.Td>{object.class_id}</Table.Td>
                  <Table.Td>{object.index}</Table.Td>
                  <Table.Td>{object.name}</Table.Td>
                  <Table.Td>{object.access}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {update.isError ? (
        <Alert color="red" title="The objects could not be added">
          {errorMessage(update.error)}
        </Alert>
      ) : null}
      <Text size="sm" c="dimmed">
        New objects join the group “{DISCOVERED_GROUP}”; fill in their unit, scaler and data type afterwards.
      </Text>
      <Group justify="flex-end">
        <Button onClick={add} disabled={chosen.length === 0} loading={update.isPending}>
          Add {plural(chosen.length, 'object', 'objects')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The dialog's content: its state starts afresh each time the dialog opens. */
function DiscoverObjects({ profile, onClose }: { profile: DeviceProfile; onClose: () => void }) {
  const start = useStartDiscovery();
  const [meter, setMeter] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const discovery = useDiscovery(profile.id, jobId);
  const result = discovery.data;
  const running = start.isPending || (jobId !== null && (discovery.isPending || result?.status === 'running'));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const number = meter.trim();
    if (!number) return;
    setJobId(null);
    start.mutate({ id: profile.id, meter: number }, { onSuccess: (accepted) => setJobId(accepted.id) });
  };

  let outcome = null;
  if (start.isError) {
    outcome = (
      <Alert color="red" title="The discovery could not start">
        {errorMessage(start.error)}
      </Alert>
    );
  } else if (jobId && discovery.isError) {
    outcome = (
      <Alert color="red" title="The discovery could not be followed">
        {errorMessage(discovery.error)}
      </Alert>
    );
  } else if (running && jobId !== null) {
    outcome = (
      <Group gap="sm" py="md" justify="center" role="status">
        <Loader size="sm" />
        <Text>Reading the meter&apos;s object list…</Text>
      </Group>
    );
  } else if (result?.error) {
    outcome = (
      <Alert color="red" title="The discovery failed">
        {result.error}
      </Alert>
    );
  } else if (result?.status === 'timed_out') {
    outcome = (
      <Alert color="orange" title="The discovery timed out">
        Meter {result.meter_number} did not answer in time. Check that it is connected, then try again.
      </Alert>
    );
  } else if (result) {
    outcome = <DiscoveredObjects profile={profile} objects={result.objects} onDone={onClose} />;
  }

  return (
    <Stack>
      <Text size="sm">
        Reads the object list of a connected meter of this model, to add the objects {profile.brand} {profile.model}{' '}
        lacks.
      </Text>
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Meter number"
            required
            style={{ flex: 1 }}
            value={meter}
            onChange={(event) => setMeter(event.currentTarget.value)}
            disabled={running}
          />
          <Button type="submit" loading={running} disabled={!meter.trim()}>
            Discover
          </Button>
        </Group>
      </form>
      {outcome}
    </Stack>
  );
}

export function DiscoverObjectsButton({ profile }: { profile: DeviceProfile }) {
  const [opened, setOpened] = useState(false);
  const close = () => setOpened(false);
  return (
    <>
      <Button variant="default" leftSection={<IconRadar size={16} />} onClick={() => setOpened(true)}>
        Discover from meter
      </Button>
      <Modal opened={opened} onClose={close} title="Discover objects from a meter" size="xl">
        <DiscoverObjects profile={profile} onClose={close} />
      </Modal>
    </>
  );
}
