import { Button, Fieldset, Group, Modal, NumberInput, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { optionalPositive, optionalText, requiredText, wholeNumber } from '@/lib/validators';
import { useCreateArea, useUpdateArea } from '@/features/areas/api/area-mutations';
import type { Area } from '@/features/areas/api/get-areas';

/** A decimal from a NumberInput within min–max. */
const bounded = (label: string, min: number, max: number, unit: string) => {
  const range = `${label} must be between ${min} and ${max} ${unit}`;
  return z
    .union([z.number(), z.string()])
    .refine((value) => String(value).trim() !== '', `${label} is required`)
    .pipe(z.coerce.number<number | string>({ error: `${label} must be a number` }).min(min, range).max(max, range));
};

/** The supply point of the energy balance; no check meter means no balance (supply null). */
const supplySchema = z
  .object({
    check_meter: optionalText,
    transformer_kva: optionalPositive('Transformer rating'),
    no_load_loss_kw: bounded('No-load loss', 0, 10_000, 'kW'),
    load_loss_kw: bounded('Load loss', 0, 10_000, 'kW'),
    line_loss_pct: bounded('Line loss', 0, 50, '%'),
    min_completeness_pct: bounded('Meters with data', 0, 100, '%'),
    ntl_alert_pct: bounded('Alert threshold', 0, 100, '%'),
    ntl_alert_days: wholeNumber('Days in a row', 1, 60),
  })
  .refine((s) => !s.check_meter || !s.load_loss_kw || s.transformer_kva !== null, {
    message: 'Give the rating with a load loss',
    path: ['transformer_kva'],
  })
  .transform(({ check_meter, ...rest }) => (check_meter ? { check_meter, ...rest } : null));

const areaSchema = z.object({ name: requiredText('Name'), description: optionalText });
const editSchema = areaSchema.extend({ supply: supplySchema });
type AreaValues = z.input<typeof editSchema>;

const SUPPLY_FIELDS = Object.keys(supplySchema.in.shape).map((name) => `supply.${name}`);
const FIELDS = ['name', 'description', 'supply', ...SUPPLY_FIELDS];

function initialValues(area: Area | null): AreaValues {
  const supply = area?.supply;
  return {
    name: area?.name ?? '',
    description: area?.description ?? '',
    supply: {
      check_meter: supply?.check_meter ?? '',
      transformer_kva: supply?.transformer_kva ?? '',
      no_load_loss_kw: supply?.no_load_loss_kw ?? 0,
      load_loss_kw: supply?.load_loss_kw ?? 0,
      line_loss_pct: supply?.line_loss_pct ?? 0,
      min_completeness_pct: supply?.min_completeness_pct ?? 98,
      ntl_alert_pct: supply?.ntl_alert_pct ?? 10,
      ntl_alert_days: supply?.ntl_alert_days ?? 3,
    },
  };
}

/** Check meter, transformer data and loss thresholds; a new area has no meters yet, so only editing shows it. */
function SupplyFields({ form }: { form: ReturnType<typeof useForm<AreaValues>> }) {
  const number = (name: keyof AreaValues['supply'], label: string, description?: string) => (
    <NumberInput label={label} description={description} min={0} clampBehavior="none" {...form.getInputProps(`supply.${name}`)} />
  );
  return (
    <Fieldset legend="Energy balance (technical losses)">
      <Stack gap="sm">
        <TextInput
          label="Check meter"
          description="A meter of this area measuring the energy into it; empty: no balance"
          {...form.getInputProps('supply.check_meter')}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          {number('transformer_kva', 'Transformer rating (kVA)')}
          {number('no_load_loss_kw', 'No-load loss (kW)', 'Iron loss, all day')}
          {number('load_loss_kw', 'Load loss at rating (kW)', 'Copper loss at full load')}
          {number('line_loss_pct', 'Line loss (% of input)')}
          {number('min_completeness_pct', 'Meters with data (%)', 'Below this a day has no balance')}
          {number('ntl_alert_pct', 'Alert threshold (%)', 'Non-technical loss of the input')}
          {number('ntl_alert_days', 'Days in a row', 'Above the threshold before an alert')}
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}

function AreaForm({ area, onDone }: { area: Area | null; onDone: () => void }) {
  const create = useCreateArea();
  const update = useUpdateArea();
  const mutation = area ? update : create;
  const form = useForm<AreaValues>({
    initialValues: initialValues(area),
    validate: zodValidate(area ? editSchema : areaSchema),
  });

  const submit = form.onSubmit((values) => {
    const options = {
      onSuccess: () => {
        notifySuccess(area ? `Area ${values.name.trim()} saved.` : `Area ${values.name.trim()} added.`);
        onDone();
      },
      onError: (error: Error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    };
    if (area) update.mutate({ id: area.id, body: editSchema.parse(values) }, options);
    else create.mutate(areaSchema.parse(values), options);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
        {area ? <SupplyFields form={form} /> : null}
        <FormError error={mutation.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `area` null adds a new area. */
export function AreaFormModal({ opened, area, onClose }: { opened: boolean; area: Area | null; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} size={area ? 'lg' : 'md'} title={area ? `Edit area ${area.name}` : 'Add area'}>
      <AreaForm area={area} onDone={onClose} />
    </Modal>
  );
}
