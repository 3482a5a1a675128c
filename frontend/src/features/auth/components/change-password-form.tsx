import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { ApiError } from '@/lib/api-client';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { errorMessage } from '@/lib/notify';
import { newPassword } from '@/lib/validators';
import { useChangePassword } from '@/features/auth/api/change-password';

const changePasswordSchema = z
  .object({
    current_password: z.string().min(1, 'Enter your current password'),
    new_password: newPassword,
    confirm_password: z.string(),
  })
  .refine((values) => values.new_password === values.confirm_password, {
    path: ['confirm_password'],
    message: 'The passwords do not match',
  })
  .refine((values) => values.new_password !== values.current_password, {
    path: ['new_password'],
    message: 'Choose a password different from the current one',
  });

const failure = (error: Error) =>
  error instanceof ApiError && error.status === 401 ? 'The current password is wrong.' : errorMessage(error);

export function ChangePasswordForm({ onSuccess, onCancel }: { onSuccess: () => void; onCancel?: () => void }) {
  const change = useChangePassword();
  const form = useForm({
    initialValues: { current_password: '', new_password: '', confirm_password: '' },
    validate: zodValidate(changePasswordSchema),
  });

  const submit = form.onSubmit(({ current_password, new_password }) =>
    change.mutate(
      { current_password, new_password },
      {
        onSuccess,
        onError: (error) => form.setErrors(serverFieldErrors(error, ['current_password', 'new_password'])),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <PasswordInput label="Current password" autoComplete="current-password" required data-autofocus {...form.getInputProps('current_password')} />
        <PasswordInput
          label="New password"
          description="At least 10 characters"
          autoComplete="new-password"
          required
          {...form.getInputProps('new_password')}
        />
        <PasswordInput label="Confirm password" autoComplete="new-password" required {...form.getInputProps('confirm_password')} />
        {change.error ? (
          <Alert color="red" title="Password not changed">
            {failure(change.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
