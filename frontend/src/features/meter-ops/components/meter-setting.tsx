import { Accordion, Alert, Badge, Button, Card, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { usePermissions } from '@/lib/authorization';
import { plural } from '@/lib/format';
import type { CosemObject, DeviceProfile } from '@/features/meter-ops/api/get-meter-ops';
import { MeterOpsPage } from '@/features/meter-ops/components/meter-picker';
import { ProfileGate } from '@/features/meter-ops/components/profile-gate';
import { OutcomeView, outcomeTime } from '@/features/meter-ops/components/value-view';
import { OP_OF_KIND, useMeterJobs, type Outcome } from '@/features/meter-ops/hooks/use-meter-jobs';
import {
  groupObjects,
  inputKind,
  localIso,
  parseInput,
  resultKey,
  scalerDecimals,
  TEXT_TYPES,
} from '@/features/meter-ops/utils/values';

const isWritable = (object: CosemObject) =>
  object.kind === 'attribute' && (object.access === 'W' || object.access === 'RW');
const isMethod = (object: CosemObject) => object.kind === 'method' && object.access === 'X';
/** Methods with a text parameter (a token, a message) ask for it; the others are sent with 0. */
const takesParameter = (object: CosemObject) => isMethod(object) && TEXT_TYPES.has(object.data_type ?? '');

const PLACEHOLDERS: Record<string, string> = {
  number: 'Number',
  text: 'Text',
  'date-time': '2026-11-26T10:00:00',
  date: '2026-11-26',
  time: '10:00:00',
};

function hint(object: CosemObject) {
  const kind = inputKind(object.data_type);
  if (kind === 'number' && object.scaler && object.scaler !== 1) {
    return `In ${object.unit ?? 'units'}, steps of ${object.scaler.toFixed(scalerDecimals(object.scaler))}`;
  }
  if (kind === 'date-time') return 'ISO 8601; without an offset it is your local time';
  return undefined;
}

/** The input an object's data type calls for. */
function ValueInput({
  object,
  value,
  error,
  onChange,
}: {
  object: CosemObject;
  value: string | boolean;
  error: string | null;
  onChange: (value: string | boolean) => void;
}) {
  const label = `${object.name} value`;
  const kind = inputKind(object.data_type);
  if (kind === 'none') {
    return (
      <Text size="sm" c="dimmed">
        Not editable here ({object.data_type})
      </Text>
    );
  }
  if (kind === 'boolean') {
    return (
      <Switch
        aria-label={label}
        checked={value === true}
        onLabel="ON"
        offLabel="OFF"
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
    );
  }
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <TextInput
        aria-label={label}
        size="xs"
        w={kind === 'date-time' ? 210 : 160}
        inputMode={kind === 'number' ? 'decimal' : undefined}
        placeholder={PLACEHOLDERS[kind]}
        description={hint(object)}
        inputWrapperOrder={['input', 'description', 'error']}
        rightSection={kind === 'number' && object.unit ? <Text size="xs">{object.unit}</Text> : null}
        value={typeof value === 'string' ? value : ''}
        error={error}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
      {kind === 'date-time' ? (
        <Button size="xs" variant="default" onClick={() => onChange(localIso(new Date()))}>
          Now
        </Button>
      ) : null}
    </Group>
  );
}

function SettingRow({
  object,
  outcome,
  canExecute,
  onWrite,
  onExecute,
}: {
  object: CosemObject;
  outcome: Outcome | undefined;
  canExecute: boolean;
  onWrite: (value: unknown) => void;
  onExecute: (value: unknown) => void;
}) {
  const method = isMethod(object);
  const [value, setValue] = useState<string | boolean>(inputKind(object.data_type) === 'boolean' ? false : '');
  const [error, setError] = useState<string | null>(null);
  const pending = outcome?.state === 'pending';
  const needsInput = method ? takesParameter(object) : true;

  const submit = () => {
    if (method && !needsInput) {
      onExecute(undefined);
      return;
    }
    const parsed = parseInput(value, object);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    if (method) onExecute(parsed.value);
    else onWrite(parsed.value);
  };

  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm">{object.name}</Text>
        <Text size="xs" c="dimmed">
          <Text span ff="monospace" inherit>
            {object.obis} {method ? `method ${object.index}` : `attribute ${object.index}`}
          </Text>
          {object.data_type ? ` · ${object.data_type}` : ''}
        </Text>
      </Table.Td>
      {canExecute ? (
        <Table.Td>
          {needsInput ? (
            <ValueInput
              object={object}
              value={value}
              error={error}
              onChange={(next) => {
                setValue(next);
                setError(null);
              }}
            />
          ) : (
            <Text size="sm" c="dimmed">
              No parameter
            </Text>
          )}
        </Table.Td>
      ) : null}
      {canExecute ? (
        <Table.Td>
          {method ? (
            <Button size="xs" color="orange" variant="light" disabled={pending} onClick={submit} aria-label={`Execute ${object.name}`}>
              Execute
            </Button>
          ) : inputKind(object.data_type) === 'none' ? null : (
            <Button size="xs" variant="light" disabled={pending} onClick={submit} aria-label={`Write ${object.name}`}>
              Write
            </Button>
          )}
        </Table.Td>
      ) : null}
      <Table.Td>
        <OutcomeView
          outcome={outcome}
          shape={object}
          pendingText={method ? 'Executing…' : 'Writing…'}
          doneText={method ? 'Executed' : 'Written'}
        />
        {outcome && outcome.state !== 'pending' ? (
          <Text size="xs" c="dimmed">
            {outcomeTime(outcome)}
          </Text>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

function SettableParameters({ meterNumber, profile }: { meterNumber: string; profile: DeviceProfile }) {
  const canExecute = usePermissions().can('commands:execute');
  const jobs = useMeterJobs(meterNumber);
  const [confirming, setConfirming] = useState<{ object: CosemObject; value: unknown } | null>(null);
  const settable = profile.objects.filter((object) => isWritable(object) || isMethod(object));
  const groups = groupObjects(settable);
  const outcomeOf = (object: CosemObject) =>
    jobs.outcomes.get(resultKey(isMethod(object) ? OP_OF_KIND.action : OP_OF_KIND.write, object.obis, object.index));

  const execute = () => {
    if (!confirming) return;
    jobs.start('action', [{ object: confirming.object, value: confirming.value }]);
    setConfirming(null);
  };

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="settable-title">
      <Stack>
        <Stack gap={0}>
          <Title order={4} id="settable-title">
            Parameters and methods
          </Title>
          <Text size="sm" c="dimmed">
            {plural(settable.filter(isWritable).length, 'writable parameter', 'writable parameters')} and{' '}
            {plural(settable.filter(isMethod).length, 'method', 'methods')} of {profile.brand} {profile.model}
            {profile.is_default ? ' (default profile)' : ''}
          </Text>
        </Stack>
        {canExecute ? null : (
          <Alert color="gray" variant="light">
            Your role can see what the meter lets you set, but not write to it or execute methods.
          </Alert>
        )}
        {settable.length === 0 ? (
          <Text c="dimmed" ta="center" py="md">
            The device profile has no writable parameters or methods.
          </Text>
        ) : (
          <Accordion multiple defaultValue={groups.map(([group]) => group)} variant="contained">
            {groups.map(([group, objects]) => (
              <Accordion.Item key={group} value={group} role="group" aria-label={group}>
                <Accordion.Control>
                  <Group gap="xs">
                    <Text fw={600}>{group}</Text>
                    <Badge variant="light" size="sm">
                      {objects.length}
                    </Badge>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Table.ScrollContainer minWidth={680}>
                    <Table aria-label={`${group} settings`} verticalSpacing={6} layout="fixed">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Name</Table.Th>
                          {canExecute ? <Table.Th w={290}>Value</Table.Th> : null}
                          {canExecute ? <Table.Th w={92} aria-label="Actions" /> : null}
                          <Table.Th w={160}>Result</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {objects.map((object) => (
                          <SettingRow
                            key={`${object.kind}|${object.obis}|${object.index}`}
                            object={object}
                            outcome={outcomeOf(object)}
                            canExecute={canExecute}
                            onWrite={(value) => jobs.start('write', [{ object, value }])}
                            onExecute={(value) => setConfirming({ object, value })}
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
      {canExecute ? (
        <ConfirmDialog
          opened={confirming !== null}
          title={confirming ? `Execute ${confirming.object.name}?` : 'Execute'}
          confirmLabel="Confirm"
          onConfirm={execute}
          onClose={() => setConfirming(null)}
        >
          {confirming
            ? `Execute ${confirming.object.name} on meter ${meterNumber}? The meter acts on it at once.`
            : ''}
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}

/** Meter setting: write the meter's writable parameters and execute its methods. */
export function MeterSetting() {
  return (
    <MeterOpsPage title="Meter setting">
      {(meterNumber) => (
        <ProfileGate meterNumber={meterNumber}>
          {(profile) => <SettableParameters meterNumber={meterNumber} profile={profile} />}
        </ProfileGate>
      )}
    </MeterOpsPage>
  );
}
