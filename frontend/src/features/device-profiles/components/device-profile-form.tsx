import { Autocomplete, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { generatePath, useNavigate } from 'react-router';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { METER_TYPES } from '@/config/meter-types';
import { paths } from '@/config/paths';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { optionalText, requiredText } from '@/lib/validators';
import {
  useCreateDeviceProfile,
  useUpdateDeviceProfile,
} from '@/features/device-profiles/api/device-profile-mutations';
import type { DeviceProfile } from '@/features/device-profiles/api/get-device-profiles';

const profileSchema = z.object({
  brand: requiredText('Brand').max(200, 'Use at most 200 characters'),
  model: requiredText('Model').max(200, 'Use at most 200 characters'),
  meter_type: optionalText.refine((value) => value === null || value.length <= 200, 'Use at most 200 characters'),
});
type ProfileValues = z.input<typeof profileSchema>;
const FIELDS = Object.keys(profileSchema.shape);

/** A new profile opens at once: its objects are what comes next. */
function DeviceProfileForm({ profile, onDone }: { profile: DeviceProfile | null; onDone: () => void }) {
  const navigate = useNavigate();
  const create = useCreateDeviceProfile();
  const update = useUpdateDeviceProfile();
  const mutation = profile ? update : create;
  const form = useForm<ProfileValues>({
    initialValues: { brand: profile?.brand ?? '', model: profile?.model ?? '', meter_type: profile?.meter_type ?? '' },
    validate: zodValidate(profileSchema),
  });

  const submit = form.onSubmit((values) => {
    const body = profileSchema.parse(values);
    const name = `${body.brand} ${body.model}`;
    const onError = (error: Error) => form.setErrors(serverFieldErrors(error, FIELDS));
    if (profile) {
      update.mutate(
        { id: profile.id, body },
        {
          onSuccess: () => {
            notifySuccess(`Device profile ${name} saved.`);
            onDone();
          },
          onError,
        },
      );
    } else {
      create.mutate(body, {
        onSuccess: (created) => {
          notifySuccess(`Device profile ${name} added.`);
          onDone();
          void navigate(generatePath(paths.deviceProfile, { id: created.id }));
        },
        onError,
      });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Brand" required data-autofocus {...form.getInputProps('brand')} />
        <TextInput label="Model" required {...form.getInputProps('model')} />
        <Autocomplete label="Meter type" data={METER_TYPES} {...form.getInputProps('meter_type')} />
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

/** `profile` null adds a new device profile. */
export function DeviceProfileFormModal({
  opened,
  profile,
  onClose,
}: {
  opened: boolean;
  profile: DeviceProfile | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={profile ? `Edit device profile ${profile.brand} ${profile.model}` : 'Add device profile'}
    >
      <DeviceProfileForm profile={profile} onDone={onClose} />
    </Modal>
  );
}
