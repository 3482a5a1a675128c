import { Alert } from '@mantine/core';
import { errorMessage } from '@/lib/notify';

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" title="Could not save">
      {errorMessage(error)}
    </Alert>
  );
}
