import { notifications } from '@mantine/notifications';

export function errorMessage(error: unknown) {
  return error instanceof Error && error.message ? error.message : 'Something went wrong.';
}

export function notifyError(title: string, error: unknown) {
  notifications.show({ color: 'red', title, message: errorMessage(error) });
}

export function notifySuccess(message: string) {
  notifications.show({ color: 'green', message });
}
