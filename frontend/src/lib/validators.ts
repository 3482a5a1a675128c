import { z } from 'zod';

export const requiredText = (label: string) => z.string().trim().min(1, `${label} is required`);

export const optionalText = z
  .string()
  .trim()
  .transform((value) => value || null);

/** Meter and SIM numbers stay strings: leading zeros are part of the number. */
export const identifier = (label: string) =>
  requiredText(label).regex(/^[0-9A-Za-z]+$/, `${label} may contain digits and letters only`);

export const ipAddress = requiredText('IP address').pipe(
  z.union([z.ipv4(), z.ipv6()], { error: 'Enter an IPv4 or IPv6 address' }),
);

export const port = z.coerce
  .number<number | string>({ error: 'Port is required' })
  .int('Port must be a whole number')
  .min(1, 'Port must be between 1 and 65535')
  .max(65535, 'Port must be between 1 and 65535');

export const newPassword = z.string().min(10, 'Use at least 10 characters');
