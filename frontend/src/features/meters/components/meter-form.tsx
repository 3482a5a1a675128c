import { Autocomplete, Button, Checkbox, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { METER_TYPES } from '@/config/meter-types';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { identifier, requiredText } from '@/lib/validators';
import {
  METER_STATUSES,
  useMeterAreaOptions,
  useMeterProfileOptions,
  type Meter,
} from '@/features/meters/api/get-meters';
import { useCreateMeter, useUpdateMeter } from '@/features/meters/api/meter-mutations';
import { statusLabel } from '@/features/meters/components/meter-status-badge';

const meterSchema = z.object({
  meter_number: identifier('Meter number'),
  concentrator_id: requiredText('Concentrator ID'),
  meter_type: requiredText('Meter type'),
  area_id: z.string(),
  device_profile: z.string(),
  status: z.enum(METER_STATUSES),
  generating: z.boolean(),
});
type MeterValues = z.input<typeof meterSchema>;
const FIELDS = Object.keys(meterSchema.shape);

function MeterForm({ meter, meterNumber, onDone }: { meter: Meter | null; meterNumber?: string; onDone: () => void }) {
  const create = useCreateMeter();
  const update = useUpdateMeter();
  const mutation = meter ? update : create;
  const areas = useMeterAreaOptions();
  const profiles = useMeterProfileOptions();
  const form = useForm<MeterValues>({
    initialValues: {
      meter_number: meter?.meter_number ?? meterNumber ?? '',
      concentrator_id: meter?.concentrator_id ?? '',
      meter_type: meter?.meter_type ?? '',
      area_id: meter?.area_id ?? '',
      device_profile: meter?.device_profile ?? '',
      status: meter?.status ?? 'warehouse',
      generating: meter?.generating ?? false,
    },
    validate: zodValidate(meterSchema),
  });

  const submit = form.onSubmit((values) => {
    const { meter_number, area_id, device_profile, ...rest } = meterSchema.parse(values);
    const options = {
      onSuccess: () => {
        notifySuccess(meter ? `Meter ${meter_number} saved.` : `Meter ${meter_number} added.`);
        onDone();
      },
      onError: (error: Error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    };
    const body = { ...rest, area_id: area_id || null, device_profile: device_profile || null };
    if (meter) update.mutate({ meterNumber: meter.meter_number, body }, options);
    else create.mutate({ meter_number, ...body, security: null }, options);
  });

  const areaOptions = [
    { value: '', label: areas.isPending ? 'Loading areas…' : 'No area' },
    ...(areas.data?.items ?? []).map((area) => ({ value: area.id, label: area.name })),
  ];

  const profileOptions = [
    { value: '', label: profiles.isPending ? 'Loading profiles…' : 'Default profile' },
    ...(profiles.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.brand} ${p.model}` })),
  ];

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Meter number"
          description={meter ? 'The meter number cannot be changed.' : 'Digits and letters; leading zeros are kept.'}
          required
          disabled={meter !== null}
          data-autofocus
          {...form.getInputProps('meter_number')}
        />
        <TextInput label="Concentrator ID" required {...form.getInputProps('concentrator_id')} />
        <Autocomplete label="Meter type" required data={METER_TYPES} {...form.getInputProps('meter_type')} />
        <NativeSelect label="Area" data={areaOptions} {...form.getInputProps('area_id')} />
        <NativeSelect label="Device profile" data={profileOptions} {...form.getInputProps('device_profile')} />
        <NativeSelect
          label="Status"
          data={METER_STATUSES.map((status) => ({ value: status, label: statusLabel(status) }))}
          {...form.getInputProps('status')}
        />
        <Checkbox
          label="Generating (e.g. rooftop solar)"
          description="Its export is expected, so it is not reported as reverse flow."
          {...form.getInputProps('generating', { type: 'checkbox' })}
        />
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

/**
 * `meter` null adds a new meter; `meterNumber` prefills its number (commissioning a device that
 * dialled in with that address).
 */
export function MeterFormModal({
  opened,
  meter,
  meterNumber,
  onClose,
}: {
  opened: boolean;
  meter: Meter | null;
  meterNumber?: string;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={meter ? `Edit meter ${meter.meter_number}` : 'Add meter'}>
      <MeterForm meter={meter} meterNumber={meterNumber} onDone={onClose} />
    </Modal>
  );
}
