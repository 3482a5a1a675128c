import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { newPassword } from '@/lib/validators';
import type { User } from '@/features/users/api/get-users';
import { useUpdateUser } from '@/features/users/api/user-mutations';

const resetSchema = z.object({ password: newPassword });

function ResetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const update = useUpdateUser();
  const form = useForm({ initialValues: { password: '' }, validate: zodValidate(resetSchema) });
  const submit = form.onSubmit(({ password }) =>
    update.mutate(
      { username: user.username, body: { password } },
      {
        onSuccess: () => {
          notifySuccess(`Password of ${user.username} reset; they must change it at next login.`);
          onDone();
        },
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{user.username} will have to choose a new password at next login.</Text>
        <PasswordInput label="New password" required data-autofocus {...form.getInputProps('password')} />
        <FormError error={update.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Reset password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Modal opened={user !== null} onClose={onClose} title={`Reset password of ${user?.username ?? ''}`}>
      {user ? <ResetPasswordForm user={user} onDone={onClose} /> : null}
    </Modal>
  );
}
