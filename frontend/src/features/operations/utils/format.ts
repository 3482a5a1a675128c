const kwh = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Energy in kWh; a period without readings is a gap, shown as "—", never as 0. */
export const formatKwh = (value: number | null | undefined) => (value === null || value === undefined ? '—' : kwh.format(value));

export const formatPercent = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${percent.format(value)} %`;

export function formatTime(value: string) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : time.format(date);
}

/** Event and alert details as "key=value; …", the way the CSV export writes them. */
export function describeDetails(details: Record<string, unknown> | null | undefined) {
  if (!details) return '';
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value as string | number)}`)
    .join('; ');
}

/** "meter_cover_opened" → "Meter cover opened". */
export function humanize(text: string) {
  const spaced = text.replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const size = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** A file size in B, kB or MB (powers of 1024). */
export function formatBytes(value: number | null | undefined) {
  if (value === null || value === undefined) return '—';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${size.format(value / 1024)} kB`;
  return `${size.format(value / (1024 * 1024))} MB`;
}
