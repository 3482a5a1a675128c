import { z } from 'zod';

const EnvSchema = z.object({
  API_URL: z
    .string()
    .regex(/^(\/|https?:\/\/)/, 'must be an absolute path or URL')
    .transform((url) => url.replace(/\/+$/, ''))
    .default('/api/v1'),
});

export const env = EnvSchema.parse({
  API_URL: import.meta.env.VITE_API_URL || undefined,
});
