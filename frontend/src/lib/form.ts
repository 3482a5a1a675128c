import type { FormErrors } from '@mantine/form';
import type { z } from 'zod';
import { ApiError } from '@/lib/api-client';

/** Mantine form validation from a zod schema: the first message for each field. */
export function zodValidate<S extends z.ZodType>(schema: S) {
  return (values: z.input<S>): FormErrors => {
    const result = schema.safeParse(values);
    const errors: FormErrors = {};
    if (result.success) return errors;
    for (const issue of result.error.issues) {
      const key = issue.path.join('.');
      errors[key] ??= issue.message;
    }
    return errors;
  };
}

/** The per-field messages of a 422 answer for the fields a form shows, to put beside those fields. */
export function serverFieldErrors(error: unknown, fields: readonly string[]): FormErrors {
  const errors: FormErrors = {};
  if (!(error instanceof ApiError)) return errors;
  for (const detail of error.details) {
    if (detail.field && fields.includes(detail.field)) errors[detail.field] ??= detail.message;
  }
  return errors;
}
