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

/**
 * A whole number from a NumberInput (a number, or '' while empty), within `min`–`max`.
 * `unit` ends the range message ("between 30 and 86400 s").
 */
export const wholeNumber = (label: string, min: number, max: number, unit = '') => {
  const range = `${label} must be between ${min} and ${max}${unit ? ` ${unit}` : ''}`;
  return z
    .union([z.number(), z.string()])
    .refine((value) => String(value).trim() !== '', `${label} is required`)
    .pipe(
      z.coerce
        .number<number | string>({ error: `${label} must be a number` })
        .int(`${label} must be a whole number`)
        .min(min, range)
        .max(max, range),
    );
};

/** An optional number above zero from a NumberInput: '' gives null. */
export const optionalPositive = (label: string) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    if (String(value).trim() === '') return null;
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a number above 0` });
      return z.NEVER;
    }
    return number;
  });

const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An IPv4 or IPv6 address, or a DNS name (dotted numbers must be a valid IPv4 address). */
export const hostAddress = (label: string) =>
  requiredText(label).refine(
    (value) =>
      z.union([z.ipv4(), z.ipv6()]).safeParse(value).success || (DNS_NAME.test(value) && !/^[\d.]+$/.test(value)),
    'Enter an IP address or a DNS name, e.g. 203.0.113.10 or hes.example.com',
  );
