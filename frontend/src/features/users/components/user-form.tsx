import { Button, Group, Modal, NativeSelect, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { newPassword, optionalText, requiredText } from '@/lib/validators';
import { ROLES, useUserCustomerOptions, type User } from '@/features/users/api/get-users';
import { useCreateUser, useUpdateUser } from '@/features/users/api/user-mutations';
import { ROLE_LABELS } from '@/features/users/components/role-badge';

const userSchema = z
  .object({
    username: requiredText('Username').regex(/^[A-Za-z0-9._@-]+$/, 'Letters, digits and . _ @ - only'),
    full_name: optionalText,
    password: z.string(),
    role: z.enum(ROLES),
    customer_id: z.string().nullable(),
  })
  .refine((user) => user.role !== 'customer' || user.customer_id, {
    path: ['customer_id'],
    message: 'A customer login needs its customer',
  });
const createSchema = userSchema.safeExtend({ password: newPassword });
type UserValues = z.input<typeof userSchema>;
const FIELDS = ['username', 'full_name', 'password', 'role', 'customer_id'];

function UserForm({ user, onDone }: { user: User | null; onDone: () => void }) {
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  const customers = useUserCustomerOptions();
  const schema = user ? userSchema : createSchema;
  const form = useForm<UserValues>({
    initialValues: {
      username: user?.username ?? '',
      full_name: user?.full_name ?? '',
      password: '',
      role: user?.role ?? 'operator',
      customer_id: user?.customer_id ?? null,
    },
    validate: zodValidate(schema),
  });

  const submit = form.onSubmit((values) => {
    const { username, password, role, full_name, customer_id } = schema.parse(values);
    const linked = role === 'customer' ? customer_id : null;
    const options = {
      onSuccess: () => {
        notifySuccess(user ? `User ${username} saved.` : `User ${username} created.`);
        onDone();
      },
      onError: (error: Error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    };
    if (user) update.mutate({ username, body: { role, full_name, customer_id: linked } }, options);
    else create.mutate({ username, password, role, full_name, customer_id: linked }, options);
  });

  const customerOptions = (customers.data?.items ?? []).map((customer) => ({ value: customer.id, label: customer.name }));

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Username" required disabled={user !== null} data-autofocus {...form.getInputProps('username')} />
        <TextInput label="Full name" {...form.getInputProps('full_name')} />
        {user ? null : (
          <PasswordInput
            label="Initial password"
            description="At least 10 characters; the user must change it at first login"
            required
            {...form.getInputProps('password')}
          />
        )}
        <NativeSelect
          label="Role"
          data={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
          {...form.getInputProps('role')}
        />
        {form.values.role === 'customer' ? (
          <Select
            label="Customer"
            required
            searchable
            placeholder={customers.isPending ? 'Loading customers…' : 'Pick the customer'}
            nothingFoundMessage="No customer matches"
            data={customerOptions}
            {...form.getInputProps('customer_id')}
          />
        ) : null}
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

/** `user` null creates a new user. */
export function UserFormModal({ opened, user, onClose }: { opened: boolean; user: User | null; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={user ? `Edit user ${user.username}` : 'Add user'}>
      <UserForm user={user} onDone={onClose} />
    </Modal>
  );
}
