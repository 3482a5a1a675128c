import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { ApiError } from '@/lib/api-client';
import { zodValidate } from '@/lib/form';
import { errorMessage } from '@/lib/notify';
import { requiredText } from '@/lib/validators';
import { useLogin } from '@/features/auth/api/login';

const loginSchema = z.object({ username: requiredText('Username'), password: z.string().min(1, 'Password is required') });

function failure(error: Error) {
  if (error instanceof ApiError && error.status === 401) {
    return { title: 'Sign-in failed', message: 'Wrong username or password.' };
  }
  if (error instanceof ApiError && error.status === 429) {
    return { title: 'Too many failed attempts', message: error.message };
  }
  return { title: 'Sign-in failed', message: errorMessage(error) };
}

/** On success the session starts; the login page then moves on by itself. */
export function LoginForm() {
  const login = useLogin();
  const form = useForm({ initialValues: { username: '', password: '' }, validate: zodValidate(loginSchema) });
  const problem = login.error ? failure(login.error) : null;

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        login.mutate({ username: values.username.trim(), password: values.password }),
      )}
    >
      <Stack>
        <TextInput label="Username" autoComplete="username" required data-autofocus {...form.getInputProps('username')} />
        <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
        {problem ? (
          <Alert color="red" title={problem.title}>
            {problem.message}
          </Alert>
        ) : null}
        <Button type="submit" fullWidth loading={login.isPending}>
          Log in
        </Button>
      </Stack>
    </form>
  );
}
