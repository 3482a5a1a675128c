import {
  Autocomplete,
  Button,
  Group,
  Loader,
  Modal,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm, type FormErrors } from '@mantine/form';
import { useDebouncedCallback, useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { ApiError } from '@/lib/api-client';
import { zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { optionalPositive, requiredText, wholeNumber } from '@/lib/validators';
import { useUpdateDeviceProfile } from '@/features/device-profiles/api/device-profile-mutations';
import {
  obisCatalogQueryOptions,
  useObisCatalog,
  type CosemObject,
  type DeviceProfile,
  type ObisCatalogEntry,
} from '@/features/device-profiles/api/get-device-profiles';
import {
  ACCESS_LABELS,
  concreteCode,
  DATA_TYPES,
  KINDS,
  maskMatches,
  normaliseObis,
  objectKey,
  objectLabel,
} from '@/features/device-profiles/utils/cosem';

const UNITS = ['Wh', 'kWh', 'varh', 'kvarh', 'VAh', 'kVAh', 'W', 'kW', 'var', 'kvar', 'VA', 'kVA', 'V', 'A', 'Hz', '°C', 's', '%'];
const NAME_MAX = 200;

const obisCode = requiredText('OBIS code').transform((value, ctx) => {
  const code = normaliseObis(value);
  if (code) return code;
  ctx.addIssue({ code: 'custom', message: 'Enter six groups of 0–255, like 1.0.1.8.0.255 or 1-0:1.8.0.255' });
  return z.NEVER;
});

const baseSchema = z.object({
  obis: obisCode,
  class_id: wholeNumber('Class ID', 1, 65535),
  kind: z.enum(KINDS),
  index: wholeNumber('Index', 1, 255),
  name: requiredText('Name').max(NAME_MAX, `Use at most ${NAME_MAX} characters`),
  group: z
    .string()
    .trim()
    .max(64, 'Use at most 64 characters')
    .transform((value) => value || 'General'),
  unit: z
    .string()
    .trim()
    .max(16, 'Use at most 16 characters')
    .transform((value) => value || null),
  scaler: optionalPositive('Scaler'),
  access: z.enum(['R', 'W', 'RW', 'X']),
  data_type: z.union([z.enum(DATA_TYPES), z.literal('')]).transform((value) => value || null),
});
type ObjectValues = z.input<typeof baseSchema>;
const FIELDS = Object.keys(baseSchema.shape);

/** As the API checks an object: access fits the kind, and no other object has the same code, kind and index. */
const objectSchema = (others: CosemObject[]) =>
  baseSchema
    .refine((object) => object.kind !== 'method' || object.access === 'X', {
      path: ['access'],
      message: "A method's access must be X (execute)",
      when: () => true,
    })
    .refine((object) => object.kind !== 'attribute' || object.access !== 'X', {
      path: ['access'],
      message: "An attribute's access must be R, W or RW",
      when: () => true,
    })
    .refine((object) => !others.some((other) => objectKey(other) === objectKey(object)), {
      path: ['obis'],
      message: 'This profile already has an object with this OBIS code, kind and index',
    });

/** The 422 details about the object at `position` (`objects.3.obis`), beside the form's fields. */
function objectFieldErrors(error: unknown, position: number): FormErrors {
  const errors: FormErrors = {};
  if (!(error instanceof ApiError)) return errors;
  for (const detail of error.details) {
    const [list, at, field = 'obis'] = detail.field?.split('.') ?? [];
    if (list === 'objects' && Number(at) === position && FIELDS.includes(field)) errors[field] ??= detail.message;
  }
  return errors;
}

const initialValues = (object: CosemObject | null): ObjectValues => ({
  obis: object?.obis ?? '',
  class_id: object?.class_id ?? '',
  kind: object?.kind ?? 'attribute',
  index: object?.index ?? 2,
  name: object?.name ?? '',
  group: object?.group ?? 'General',
  unit: object?.unit ?? '',
  scaler: object?.scaler ?? '',
  access: object?.access ?? 'R',
  data_type: (object?.data_type ?? '') as ObjectValues['data_type'],
});

/** The catalogue's answers as codes to pick, each with its description (one per code). */
function catalogOptions(entries: ObisCatalogEntry[], typed: string) {
  const options = new Map<string, ObisCatalogEntry>();
  for (const entry of entries) {
    const code = concreteCode(entry.obis, typed);
    if (code && !options.has(code)) options.set(code, entry);
  }
  return options;
}

interface ObjectFormProps {
  profile: DeviceProfile;
  /** The object's place in `profile.objects`; null adds one at the end. */
  position: number | null;
  onDone: () => void;
}

/**
 * Every save sends the profile's whole object list. While an OBIS code is typed, the standard
 * catalogue offers matching codes and fills Name (and an empty Class ID) for a known code, never
 * over what the user typed there.
 */
function ObjectForm({ profile, position, onDone }: ObjectFormProps) {
  const object = position === null ? null : (profile.objects[position] ?? null);
  const others = profile.objects.filter((_, index) => index !== position);
  const update = useUpdateDeviceProfile();
  const queryClient = useQueryClient();
  const form = useForm<ObjectValues>({
    initialValues: initialValues(object),
    validate: zodValidate(objectSchema(others)),
  });
  // Fields the catalogue may fill: those left empty, or filled by it, since the user last typed there.
  const fillable = useRef({ name: !object, class_id: !object });
  const filled = useRef<{ name?: string }>({});

  // Asked once the code is typed: an object opened for editing starts without the catalogue's dropdown.
  const edited = form.values.obis !== (object?.obis ?? '');
  const [typed] = useDebouncedValue(edited ? form.values.obis.trim() : '', 300);
  const catalog = useObisCatalog(typed);
  const options = catalogOptions(catalog.data?.items ?? [], typed);
  const known = normaliseObis(form.values.obis);
  const match = known ? catalog.data?.items.find((entry) => maskMatches(entry.obis, known)) : undefined;

  const prefill = useDebouncedCallback(async (text: string) => {
    const code = normaliseObis(text);
    if (!code) return;
    const found = await queryClient.fetchQuery(obisCatalogQueryOptions(text.trim())).catch(() => null);
    if (!found || normaliseObis(form.getValues().obis) !== code) return;
    const entry = found.items.find((item) => maskMatches(item.obis, code));
    if (fillable.current.name) {
      const name = entry?.description.slice(0, NAME_MAX) ?? '';
      // A code the catalogue does not know clears only a name it filled itself.
      if (entry || form.getValues().name === filled.current.name) {
        form.setFieldValue('name', name);
        filled.current.name = name;
      }
    }
    const classId = entry?.class_ids[0];
    if (fillable.current.class_id && classId !== undefined) form.setFieldValue('class_id', classId);
  }, 300);

  const submit = form.onSubmit((values) => {
    const saved: CosemObject = objectSchema(others).parse(values);
    const objects =
      position === null ? [...profile.objects, saved] : profile.objects.map((item, index) => (index === position ? saved : item));
    update.mutate(
      { id: profile.id, body: { objects } },
      {
        onSuccess: () => {
          notifySuccess(`Object ${objectLabel(saved)} ${object ? 'saved' : 'added'}.`);
          onDone();
        },
        onError: (error) => form.setErrors(objectFieldErrors(error, position ?? profile.objects.length)),
      },
    );
  });

  const obisProps = form.getInputProps('obis');
  const nameProps = form.getInputProps('name');
  const classIdProps = form.getInputProps('class_id');
  const groups = [...new Set(['General', ...profile.objects.map((item) => item.group)])];

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Autocomplete
            label="OBIS code"
            description="e.g. 1.0.1.8.0.255 or 1-0:1.8.0.255"
            required
            data-autofocus
            data={[...options.keys()]}
            filter={({ options: found }) => found}
            renderOption={({ option }) => (
              <Stack gap={0}>
                <Text size="sm" ff="monospace">
                  {option.value}
                </Text>
                <Text size="xs" c="dimmed">
                  {options.get(option.value)?.description}
                </Text>
              </Stack>
            )}
            rightSection={catalog.isFetching ? <Loader size="xs" /> : null}
            {...obisProps}
            onChange={(value) => {
              form.setFieldValue('obis', value);
              void prefill(value);
            }}
          />
          <NativeSelect label="Kind" data={[...KINDS]} {...form.getInputProps('kind')} />
          <NumberInput
            label="Class ID"
            description={match?.class_ids.length ? `Standard: ${match.class_ids.join(', ')}` : 'COSEM interface class'}
            required
            min={1}
            max={65535}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            {...classIdProps}
            onChange={(value) => {
              fillable.current.class_id = value === '';
              form.setFieldValue('class_id', value);
            }}
          />
          <NumberInput
            label="Index"
            description="Attribute or method number"
            required
            min={1}
            max={255}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            {...form.getInputProps('index')}
          />
        </SimpleGrid>
        <TextInput
          label="Name"
          required
          {...nameProps}
          onChange={(event) => {
            fillable.current.name = event.currentTarget.value.trim() === '';
            form.setFieldValue('name', event.currentTarget.value);
          }}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Autocomplete label="Group" data={groups} {...form.getInputProps('group')} />
          <Autocomplete label="Unit" data={UNITS} {...form.getInputProps('unit')} />
          <NumberInput
            label="Scaler"
            description="Multiplies the raw value, e.g. 0.01"
            decimalScale={9}
            {...form.getInputProps('scaler')}
          />
          <NativeSelect
            label="Access"
            description="X (execute) for methods"
            data={Object.entries(ACCESS_LABELS).map(([value, label]) => ({ value, label }))}
            {...form.getInputProps('access')}
          />
          <NativeSelect
            label="Data type"
            data={[{ value: '', label: 'Not set' }, ...DATA_TYPES]}
            {...form.getInputProps('data_type')}
          />
        </SimpleGrid>
        <FormError error={update.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `position` null adds an object; otherwise edits `profile.objects[position]`. */
export function ObjectFormModal({
  opened,
  profile,
  position,
  onClose,
}: {
  opened: boolean;
  profile: DeviceProfile;
  position: number | null;
  onClose: () => void;
}) {
  const object = position === null ? null : profile.objects[position];
  return (
    <Modal opened={opened} onClose={onClose} title={object ? `Edit object ${objectLabel(object)}` : 'Add object'} size="lg">
      <ObjectForm profile={profile} position={position} onDone={onClose} />
    </Modal>
  );
}
