import { Accordion, Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { usePermissions } from '@/lib/authorization';
import { formatDateTime, plural } from '@/lib/format';
import { useMeterReadings, type CosemObject, type DeviceProfile } from '@/features/meter-ops/api/get-meter-ops';
import { ConnectionDiagnostics } from '@/features/meter-ops/components/connection-diagnostics';
import { MeterOpsPage } from '@/features/meter-ops/components/meter-picker';
import { ProfileGate } from '@/features/meter-ops/components/profile-gate';
import { OutcomeView, outcomeTime, ValueView } from '@/features/meter-ops/components/value-view';
import { useMeterJobs, type Outcome } from '@/features/meter-ops/hooks/use-meter-jobs';
import { groupObjects, resultKey } from '@/features/meter-ops/utils/values';

const isReadable = (object: CosemObject) =>
  object.kind === 'attribute' && (object.access === 'R' || object.access === 'RW');

/** What the meter pushed last (the server has already applied the scalers). */
function LatestPushed({ meterNumber, objects }: { meterNumber: string; objects: CosemObject[] }) {
  const readings = useMeterReadings(meterNumber);
  const objectOf = (obis: string) =>
    objects.find((object) => object.obis === obis && object.kind === 'attribute' && object.index === 2) ??
    objects.find((object) => object.obis === obis);
  const latest = readings.data?.latest ?? [];

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="latest-pushed-title">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Title order={4} id="latest-pushed-title">
            Latest pushed values
          </Title>
          <Text size="sm" c="dimmed">
            {readings.data?.latest_at ? `Pushed ${formatDateTime(readings.data.latest_at)}` : null}
          </Text>
        </Group>
        {readings.isSuccess && latest.length === 0 ? (
          <Text size="sm" c="dimmed">
            The meter has not pushed any values yet.
          </Text>
        ) : null}
        {latest.length > 0 ? (
          <Table.ScrollContainer minWidth={480}>
            <Table aria-label="Latest pushed values" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>OBIS code</Table.Th>
                  <Table.Th>Value</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {latest.map((entry) => (
                  <Table.Tr key={entry.obis}>
                    <Table.Td>{objectOf(entry.obis)?.name ?? entry.obis}</Table.Td>
                    <Table.Td ff="monospace">{entry.obis}</Table.Td>
                    <Table.Td>
                      <ValueView
                        value={entry.value}
                        shape={{ obis: entry.obis, unit: entry.unit, scaler: objectOf(entry.obis)?.scaler }}
                        scaled
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
    </Card>
  );
}

function ParameterRow({
  object,
  outcome,
  onRead,
}: {
  object: CosemObject;
  outcome: Outcome | undefined;
  onRead?: () => void;
}) {
  return (
    <Table.Tr>
      <Table.Td>{object.name}</Table.Td>
      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {object.obis}
      </Table.Td>
      <Table.Td>
        <OutcomeView outcome={outcome} shape={object} pendingText="Reading…" />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{outcomeTime(outcome)}</Text>
      </Table.Td>
      {onRead ? (
        <Table.Td>
          <Button
            size="compact-xs"
            variant="subtle"
            aria-label={`Read ${object.name}`}
            disabled={outcome?.state === 'pending'}
            onClick={onRead}
          >
            Read
          </Button>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

function ReadableParameters({ meterNumber, profile }: { meterNumber: string; profile: DeviceProfile }) {
  const canExecute = usePermissions().can('commands:execute');
  const jobs = useMeterJobs(meterNumber);
  const readable = profile.objects.filter(isReadable);
  const groups = groupObjects(readable);
  const outcomeOf = (object: CosemObject) => jobs.outcomes.get(resultKey('get', object.obis, object.index));
  const read = (objects: CosemObject[]) => jobs.start('read', objects.map((object) => ({ object })));

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="readable-title">
      <Stack>
        <Group justify="space-between" gap="xs">
          <Stack gap={0}>
            <Title order={4} id="readable-title">
              Parameters
            </Title>
            <Text size="sm" c="dimmed">
              {plural(readable.length, 'readable parameter', 'readable parameters')} of {profile.brand} {profile.model}
              {profile.is_default ? ' (default profile)' : ''}
            </Text>
          </Stack>
          {canExecute && readable.length > 0 ? (
            // One job per group: a slow group (a long load profile) does not make the others fail.
            <Button leftSection={<IconDownload size={16} />} onClick={() => groups.forEach(([, objects]) => read(objects))}>
              Read all
            </Button>
          ) : null}
        </Group>
        {canExecute ? null : (
          <Alert color="gray" variant="light">
            Your role can see the parameters and the values the meter pushes, but not read from the meter.
          </Alert>
        )}
        {readable.length === 0 ? (
          <Text c="dimmed" ta="center" py="md">
            The device profile has no readable parameters.
          </Text>
        ) : (
          <Accordion multiple defaultValue={groups.map(([group]) => group)} variant="contained">
            {groups.map(([group, objects]) => (
              <Accordion.Item key={group} value={group} role="group" aria-label={group}>
                <Group wrap="nowrap" gap="xs" pr="sm">
                  <Accordion.Control>
                    <Group gap="xs">
                      <Text fw={600}>{group}</Text>
                      <Badge variant="light" size="sm">
                        {objects.length}
                      </Badge>
                    </Group>
                  </Accordion.Control>
                  {canExecute ? (
                    <Button size="xs" variant="light" style={{ flex: 'none' }} onClick={() => read(objects)}>
                      Read group
                    </Button>
                  ) : null}
                </Group>
                <Accordion.Panel>
                  <Table.ScrollContainer minWidth={640}>
                    <Table aria-label={`${group} parameters`} verticalSpacing={6} layout="fixed">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th w="28%">Name</Table.Th>
                          <Table.Th w="17%">OBIS code</Table.Th>
                          <Table.Th>Value</Table.Th>
                          <Table.Th w="24%">Read at</Table.Th>
                          {canExecute ? <Table.Th w={72} aria-label="Actions" /> : null}
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {objects.map((object) => (
                          <ParameterRow
                            key={resultKey('get', object.obis, object.index)}
                            object={object}
                            outcome={outcomeOf(object)}
                            onRead={canExecute ? () => read([object]) : undefined}
                          />
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Stack>
    </Card>
  );
}

/** Meter reading: every readable parameter of the meter's profile, read on demand, and what it pushed. */
export function MeterReading() {
  const canExecute = usePermissions().can('commands:execute');
  return (
    <MeterOpsPage title="Meter reading">
      {(meterNumber) => (
        <ProfileGate meterNumber={meterNumber}>
          {(profile) => (
            <Stack>
              <LatestPushed meterNumber={meterNumber} objects={profile.objects} />
              <ReadableParameters meterNumber={meterNumber} profile={profile} />
              {canExecute ? <ConnectionDiagnostics meterNumber={meterNumber} /> : null}
            </Stack>
          )}
        </ProfileGate>
      )}
    </MeterOpsPage>
  );
}
