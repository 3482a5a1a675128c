import { ActionIcon, Alert, Badge, Button, Card, Group, NativeSelect, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { FormError } from '@/components/ui/form-error';
import { notifySuccess } from '@/lib/notify';
import { useUpdateDeviceProfile } from '@/features/device-profiles/api/device-profile-mutations';
import type { CosemObject, DeviceProfile, PushEntry } from '@/features/device-profiles/api/get-device-profiles';

/** The push layout is at most 64 positions (the API's limit). */
const MAX_POSITIONS = 64;

/** Attributes are what a meter can push; an attribute is its OBIS code and index. */
const refOf = (item: { obis: string; index: number }) => `${item.obis}|${item.index}`;

interface Slot {
  /** Stable across moves, for React. */
  key: string;
  /** `obis|index` of an attribute of the profile, '' until one is chosen. */
  ref: string;
}

const byPosition = (layout: PushEntry[]) => [...layout].sort((a, b) => a.position - b.position);

const slotsOf = (layout: PushEntry[]) => byPosition(layout).map((entry, index) => ({ key: `saved-${index}`, ref: refOf(entry) }));

function ReadOnlyLayout({ layout, attributes }: { layout: PushEntry[]; attributes: Map<string, CosemObject> }) {
  if (!layout.length) return <Text c="dimmed">No push layout: the meter's pushes are not decoded by position.</Text>;
  return (
    <Table aria-label="Push layout" striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Position</Table.Th>
          <Table.Th>OBIS code</Table.Th>
          <Table.Th>Index</Table.Th>
          <Table.Th>Name</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {byPosition(layout).map((entry) => (
          <Table.Tr key={entry.position}>
            <Table.Td>{entry.position}</Table.Td>
            <Table.Td ff="monospace">{entry.obis}</Table.Td>
            <Table.Td>{entry.index}</Table.Td>
            <Table.Td>{attributes.get(refOf(entry))?.name ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * What a meter's push carries, position by position, each an attribute of the profile. Edits are a
 * draft until saved; saving sends the whole layout with positions 1..n.
 */
export function PushLayoutCard({ profile, canWrite }: { profile: DeviceProfile; canWrite: boolean }) {
  const update = useUpdateDeviceProfile();
  const [draft, setDraft] = useState<Slot[] | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const added = useRef(0);
  const attributes = new Map(
    profile.objects.filter((object) => object.kind === 'attribute').map((object) => [refOf(object), object]),
  );
  const slots = draft ?? slotsOf(profile.push_layout);
  const options = [
    { value: '', label: 'Choose an object…' },
    ...[...attributes.entries()].map(([value, object]) => ({
      value,
      label: `${object.obis} · ${object.name}${object.index === 2 ? '' : ` (attribute ${object.index})`}`,
    })),
  ];

  const edit = (next: Slot[]) => {
    update.reset();
    setDraft(next);
  };
  const move = (from: number, to: number) => {
    const next = [...slots];
    const [moved] = next.splice(from, 1);
    if (moved) next.splice(to, 0, moved);
    edit(next);
  };
  const problem = (item: Slot) => {
    if (!item.ref) return 'Choose an object';
    return attributes.has(item.ref) ? null : `${item.ref.replace('|', ' attribute ')} is not an attribute of this profile`;
  };
  const discard = () => {
    update.reset();
    setShowErrors(false);
    setDraft(null);
  };

  const save = () => {
    if (slots.some((item) => problem(item))) {
      setShowErrors(true);
      return;
    }
    const push_layout = slots.map((item, index) => {
      const object = attributes.get(item.ref);
      return { position: index + 1, obis: object?.obis ?? '', class_id: object?.class_id ?? 0, index: object?.index ?? 2 };
    });
    update.mutate(
      { id: profile.id, body: { push_layout } },
      {
        onSuccess: () => {
          notifySuccess('Push layout saved.');
          setShowErrors(false);
          setDraft(null);
        },
      },
    );
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="push-layout-title">
      <Stack>
        <Group justify="space-between" gap="sm">
          <Group gap="xs">
            <Title order={3} id="push-layout-title">
              Push layout
            </Title>
            <Badge variant="light">{slots.length}</Badge>
            {draft ? (
              <Badge color="yellow" variant="light">
                Unsaved changes
              </Badge>
            ) : null}
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          The values a meter pushes, in order: position 1 is the first value of the push.
        </Text>
        {!canWrite ? (
          <ReadOnlyLayout layout={profile.push_layout} attributes={attributes} />
        ) : (
          <>
            {attributes.size === 0 ? (
              <Alert color="gray">Add attribute objects to the profile first: the layout is made of them.</Alert>
            ) : null}
            {slots.length ? (
              <Stack gap="xs" role="list" aria-label="Push layout positions">
                {slots.map((item, index) => {
                  const position = index + 1;
                  return (
                    <Group key={item.key} gap="xs" wrap="nowrap" align="flex-start" role="listitem">
                      <Badge variant="outline" size="lg" w={48} mt={4} aria-hidden>
                        {position}
                      </Badge>
                      <NativeSelect
                        aria-label={`Object at position ${position}`}
                        data={options}
                        value={item.ref}
                        error={showErrors ? problem(item) : null}
                        onChange={(event) => {
                          const ref = event.currentTarget.value;
                          edit(slots.map((other) => (other.key === item.key ? { ...other, ref } : other)));
                        }}
                        style={{ flex: 1 }}
                      />
                      <Tooltip label="Move up">
                        <ActionIcon
                          variant="subtle"
                          size="lg"
                          aria-label={`Move position ${position} up`}
                          disabled={index === 0}
                          onClick={() => move(index, index - 1)}
                        >
                          <IconArrowUp size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Move down">
                        <ActionIcon
                          variant="subtle"
                          size="lg"
                          aria-label={`Move position ${position} down`}
                          disabled={index === slots.length - 1}
                          onClick={() => move(index, index + 1)}
                        >
                          <IconArrowDown size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Remove">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          size="lg"
                          aria-label={`Remove position ${position}`}
                          onClick={() => edit(slots.filter((other) => other.key !== item.key))}
                        >
                          <IconTrash size={18} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  );
                })}
              </Stack>
            ) : (
              <Text c="dimmed">No positions yet.</Text>
            )}
            <FormError error={update.error} />
            <Group justify="space-between">
              <Button
                variant="default"
                leftSection={<IconPlus size={16} />}
                disabled={slots.length >= MAX_POSITIONS || attributes.size === 0}
                onClick={() => edit([...slots, { key: `added-${added.current++}`, ref: '' }])}
              >
                Add position
              </Button>
              <Group gap="xs">
                {draft ? (
                  <Button variant="default" onClick={discard}>
                    Discard changes
                  </Button>
                ) : null}
                <Button disabled={!draft} loading={update.isPending} onClick={save}>
                  Save push layout
                </Button>
              </Group>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
