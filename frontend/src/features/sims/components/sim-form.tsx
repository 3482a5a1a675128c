import { Button, Group, Modal, NumberInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { identifier, ipAddress, port } from '@/lib/validators';
import type { Sim } from '@/features/sims/api/get-sims';
import { useCreateSim, useUpdateSim } from '@/features/sims/api/sim-mutations';

const simSchema = z.object({
  sim_number: identifier('SIM number'),
  ip_address: ipAddress,
  port,
  meter_number: z.union([z.literal(''), identifier('Meter number')]),
});
type SimValues = z.input<typeof simSchema>;
const FIELDS = Object.keys(simSchema.shape);

function SimForm({ sim, onDone }: { sim: Sim | null; onDone: () => void }) {
  const create = useCreateSim();
  const update = useUpdateSim();
  const mutation = sim ? update : create;
  const form = useForm<SimValues>({
    initialValues: {
      sim_number: sim?.sim_number ?? '',
      ip_address: sim?.ip_address ?? '',
      port: sim?.port ?? '',
      meter_number: sim?.meter_number ?? '',
    },
    validate: zodValidate(simSchema),
  });

  const submit = form.onSubmit((values) => {
    const { sim_number, meter_number, ...rest } = simSchema.parse(values);
    const options = {
      onSuccess: () => {
        notifySuccess(sim ? `SIM ${sim_number} saved.` : `SIM ${sim_number} added.`);
        onDone();
      },
      onError: (error: Error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    };
    const body = { ...rest, meter_number: meter_number || null };
    if (sim) update.mutate({ simNumber: sim.sim_number, body }, options);
    else create.mutate({ sim_number, ...body }, options);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="SIM number"
          required
          disabled={sim !== null}
          description={sim ? 'The SIM number cannot be changed.' : undefined}
          data-autofocus
          {...form.getInputProps('sim_number')}
        />
        <TextInput label="IP address" description="IPv4 or IPv6" required {...form.getInputProps('ip_address')} />
        <NumberInput
          label="Port"
          description="1–65535"
          required
          min={1}
          max={65535}
          clampBehavior="none"
          allowDecimal={false}
          allowNegative={false}
          {...form.getInputProps('port')}
        />
        <TextInput label="Meter number" description="Optional: the meter this SIM sits in" {...form.getInputProps('meter_number')} />
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

/** `sim` null adds a new SIM card. */
export function SimFormModal({ opened, sim, onClose }: { opened: boolean; sim: Sim | null; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={sim ? `Edit SIM ${sim.sim_number}` : 'Add SIM card'}>
      <SimForm sim={sim} onDone={onClose} />
    </Modal>
  );
}
