import { Button, Group, Modal, MultiSelect, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { requiredText } from '@/lib/validators';
import { useArchiveMeters, useSimOptions, type Customer } from '@/features/customers/api/get-customers';
import { useCreateCustomer, useUpdateCustomer } from '@/features/customers/api/customer-mutations';

const customerSchema = z.object({
  name: requiredText('Name'),
  address: requiredText('Address'),
  phone: requiredText('Phone').regex(/^[+0-9 ()-]+$/, 'Use digits, spaces and + ( ) - only'),
  meter_numbers: z.array(z.string()).min(1, 'Choose at least one meter'),
  sim_number: z.string().nullable(),
});
type CustomerValues = z.input<typeof customerSchema>;
const FIELDS = Object.keys(customerSchema.shape);

function CustomerForm({ customer, onDone }: { customer: Customer | null; onDone: () => void }) {
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const mutation = customer ? update : create;
  const archive = useArchiveMeters();
  const sims = useSimOptions();
  const form = useForm<CustomerValues>({
    initialValues: {
      name: customer?.name ?? '',
      address: customer?.address ?? '',
      phone: customer?.phone ?? '',
      meter_numbers: customer?.meter_numbers ?? [],
      sim_number: customer?.sim_number ?? null,
    },
    validate: zodValidate(customerSchema),
  });

  const submit = form.onSubmit((values) => {
    const body = customerSchema.parse(values);
    const options = {
      onSuccess: () => {
        notifySuccess(customer ? `Customer ${body.name} saved.` : `Customer ${body.name} added.`);
        onDone();
      },
      onError: (error: Error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    };
    if (customer) update.mutate({ id: customer.id, body }, options);
    else create.mutate(body, options);
  });

  const meterOptions = [
    ...new Set([...(customer?.meter_numbers ?? []), ...(archive.data?.items ?? []).map((meter) => meter.meter_number)]),
  ].sort();
  const simOptions = (sims.data?.items ?? []).map((sim) => sim.sim_number);

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <Textarea label="Address" required autosize minRows={2} {...form.getInputProps('address')} />
        <TextInput label="Phone" required type="tel" {...form.getInputProps('phone')} />
        <MultiSelect
          label="Meters"
          description="Archived meters not assigned to anyone, and this customer's own"
          placeholder={archive.isPending ? 'Loading meters…' : 'Pick meters'}
          required
          searchable
          nothingFoundMessage="No unassigned meter matches"
          data={meterOptions}
          {...form.getInputProps('meter_numbers')}
        />
        <Select
          label="SIM card"
          placeholder={sims.isPending ? 'Loading SIM cards…' : 'No SIM card'}
          searchable
          clearable
          nothingFoundMessage="No SIM card matches"
          data={simOptions}
          {...form.getInputProps('sim_number')}
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

/** `customer` null adds a new customer. */
export function CustomerFormModal(props: { opened: boolean; customer: Customer | null; onClose: () => void }) {
  const { opened, customer, onClose } = props;
  return (
    <Modal opened={opened} onClose={onClose} title={customer ? `Edit customer ${customer.name}` : 'Add customer'}>
      <CustomerForm customer={customer} onDone={onClose} />
    </Modal>
  );
}
