import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { optionalText, requiredText } from '@/lib/validators';
import { useCreateArea, useUpdateArea } from '@/features/areas/api/area-mutations';
import type { Area } from '@/features/areas/api/get-areas';

const areaSchema = z.object({ name: requiredText('Name'), description: optionalText });
type AreaValues = z.input<typeof areaSchema>;

function AreaForm({ area, onDone }: { area: Area | null; onDone: () => void }) {
  const create = useCreateArea();
  const update = useUpdateArea();
  const mutation = area ? update : create;
  const form = useForm<AreaValues>({
    initialValues: { name: area?.name ?? '', description: area?.description ?? '' },
    validate: zodValidate(areaSchema),
  });

  const submit = form.onSubmit((values) => {
    const body = areaSchema.parse(values);
    const options = {
      onSuccess: () => {
        notifySuccess(area ? `Area ${body.name} saved.` : `Area ${body.name} added.`);
        onDone();
      },
      onError: (error: Error) => form.setErrors(serverFieldErrors(error, ['name', 'description'])),
    };
    if (area) update.mutate({ id: area.id, body }, options);
    else create.mutate(body, options);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
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
    <Modal opened={opened} onClose={onClose} title={area ? `Edit area ${area.name}` : 'Add area'}>
      <AreaForm area={area} onDone={onClose} />
    </Modal>
  );
}
