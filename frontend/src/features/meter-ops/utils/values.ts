import type { CosemObject } from '@/features/meter-ops/api/get-meter-ops';
import { formatDateTime } from '@/lib/format';

/** What formatting needs of a profile object; a job result carries only name and unit. */
export type ValueShape = Partial<Pick<CosemObject, 'obis' | 'class_id' | 'index' | 'unit' | 'scaler' | 'data_type'>>;

export const RELAY_OBIS = '0.0.96.3.10.255';
export const TOKEN_GATEWAY_OBIS = '0.0.19.40.0.255';

/** The DLMS types that travel as numbers (`NUMERIC` in chalicelib/services/jobs.py). */
export const NUMERIC_TYPES = new Set([
  'double-long',
  'double-long-unsigned',
  'integer',
  'long',
  'unsigned',
  'long-unsigned',
  'long64',
  'long64-unsigned',
  'enum',
  'float32',
  'float64',
]);
export const TEXT_TYPES = new Set(['octet-string', 'visible-string', 'utf8-string']);

/** The relay's control state (class 70, attribute 3), IEC 62056-6-2. */
const CONTROL_STATES: Record<number, string> = { 0: 'Disconnected', 1: 'Connected', 2: 'Ready for reconnection' };

/** The token gateway's status codes (class 115), as the server names them. */
const TOKEN_STATUS: Record<number, string> = {
  0: 'format OK',
  1: 'authentication OK',
  2: 'validation OK',
  3: 'accepted',
  4: 'rejected: wrong format or check digit',
  5: 'rejected: not for this meter',
  6: 'rejected: already used or no credit',
  7: 'rejected: could not be applied',
  8: 'pending',
};

/** The decimals a scaler implies: 0.1 → 1, 0.001 → 3, 1 or 10 → 0. */
export function scalerDecimals(scaler: number | null | undefined) {
  if (!scaler || scaler >= 1) return 0;
  const text = String(scaler);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Number(exponent[1]);
  return text.split('.')[1]?.length ?? 0;
}

/** A raw register value times its scaler, without float noise (2301 × 0.1 = 230.1, not 230.10000000000002). */
export function applyScaler(raw: number, scaler: number | null | undefined) {
  if (!scaler || scaler === 1) return raw;
  return Number((raw * scaler).toFixed(scalerDecimals(scaler)));
}

export function formatNumber(value: number, decimals?: number) {
  return new Intl.NumberFormat(undefined, {
    minimumFractionDigits: decimals ?? 0,
    maximumFractionDigits: decimals ?? 3,
  }).format(value);
}

const withUnit = (text: string, unit: string | null | undefined) => (unit ? `${text} ${unit}` : text);

/**
 * A COSEM date-time as the meter sends it (12 octets, here as 24 hex digits): year, month, day,
 * weekday, hour, minute, second, hundredths, deviation (minutes UTC − local; 0x8000 unknown), status.
 * Answers an ISO 8601 instant, or null when the octets name no point in time.
 */
export function cosemDateTime(hex: string): string | null {
  if (!/^[0-9a-f]{24}$/i.test(hex)) return null;
  const octets = hex.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? [];
  const at = (index: number) => octets[index] ?? 0;
  const year = (at(0) << 8) | at(1);
  const [month, day, hour, minute] = [at(2), at(3), at(5), at(6)];
  if (year === 0xffff || month >= 0xfd || day >= 0xfd || hour === 0xff || minute === 0xff) return null;
  const second = at(7) === 0xff ? 0 : at(7);
  const hundredths = at(8) === 0xff ? 0 : at(8);
  let deviation = (at(9) << 8) | at(10);
  if (deviation >= 0x8000) deviation -= 0x10000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, hundredths * 10);
  // local = UTC − deviation, so UTC = local + deviation; "not specified" is read as UTC, as the server does.
  const shift = deviation === -0x8000 ? 0 : deviation;
  const date = new Date(utc + shift * 60_000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const isPrimitive = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function formatStructured(value: unknown[] | object, shape: ValueShape) {
  if (shape.obis === TOKEN_GATEWAY_OBIS && Array.isArray(value) && typeof value[0] === 'number') {
    return TOKEN_STATUS[value[0]] ?? `status ${value[0]}`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 'No entries';
    const compact = JSON.stringify(value);
    if (value.every(isPrimitive) && compact.length <= 60) return compact.replace(/,/g, ', ');
    return `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`;
  }
  return JSON.stringify(value);
}

/**
 * A value read from a meter, as people read it: numbers times the profile's scaler with its
 * unit ("230.1 V"), the relay's states in words, COSEM date-times as local time, structures short.
 * `scaled` values (pushed readings) already had the scaler applied by the server.
 */
export function formatValue(value: unknown, shape: ValueShape = {}, { scaled = false } = {}): string {
  if (value === null || value === undefined) return '—';
  const relay = shape.obis === RELAY_OBIS && (shape.class_id === undefined || shape.class_id === 70);
  if (typeof value === 'boolean') {
    if (relay && shape.index === 2) return value ? 'Connected' : 'Disconnected';
    return value ? 'Yes' : 'No';
  }
  if (typeof value === 'number') {
    if (relay && shape.index === 3) {
      const state = CONTROL_STATES[value];
      return state ? `${state} (${value})` : String(value);
    }
    if (scaled) return withUnit(formatNumber(value, shape.scaler ? scalerDecimals(shape.scaler) : undefined), shape.unit);
    return withUnit(formatNumber(applyScaler(value, shape.scaler), scalerDecimals(shape.scaler)), shape.unit);
  }
  if (typeof value === 'string') {
    if (shape.data_type === 'date-time') {
      const iso = cosemDateTime(value);
      if (iso) return formatDateTime(iso);
      if (!Number.isNaN(Date.parse(value))) return formatDateTime(value);
    }
    return withUnit(value, NUMERIC_TYPES.has(shape.data_type ?? '') ? shape.unit : null);
  }
  return typeof value === 'object' ? formatStructured(value, shape) : JSON.stringify(value) ?? '—';
}

/** Whether a value deserves a "show all" view (long lists, nested structures). */
export const isLongValue = (value: unknown) =>
  typeof value === 'object' && value !== null && JSON.stringify(value).length > 60;

/** What can be sent for an object, by its data type. */
export type InputKind = 'number' | 'boolean' | 'text' | 'date-time' | 'date' | 'time' | 'none';

export function inputKind(dataType: string | null | undefined): InputKind {
  if (!dataType) return 'number'; // the edge sends such values as integer
  if (NUMERIC_TYPES.has(dataType)) return 'number';
  if (dataType === 'boolean') return 'boolean';
  if (TEXT_TYPES.has(dataType)) return 'text';
  if (dataType === 'date-time' || dataType === 'date' || dataType === 'time') return dataType;
  return 'none'; // arrays, structures, bit strings, BCD
}

const RANGES: Record<string, [number, number]> = {
  integer: [-128, 127],
  unsigned: [0, 255],
  enum: [0, 255],
  long: [-32768, 32767],
  'long-unsigned': [0, 65535],
  'double-long': [-2147483648, 2147483647],
  'double-long-unsigned': [0, 4294967295],
  long64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  'long64-unsigned': [0, Number.MAX_SAFE_INTEGER],
};

const pad = (value: number) => String(value).padStart(2, '0');

/** A moment as local ISO 8601 with the browser's UTC offset, e.g. 2026-11-26T10:00:00+01:00. */
export function localIso(date: Date) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const local = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/;

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * What the user entered for an object, checked by its data type and turned into what the meter
 * expects: numbers are entered in the object's unit and sent raw (divided by the scaler).
 */
export function parseInput(input: string | boolean, object: Pick<CosemObject, 'data_type' | 'scaler' | 'unit'>): Parsed {
  const kind = inputKind(object.data_type);
  if (kind === 'boolean') return { ok: true, value: Boolean(input) };
  const text = String(input).trim();
  if (kind === 'none') return { ok: false, error: `A ${object.data_type} value cannot be entered here` };
  if (text === '') return { ok: false, error: 'Enter a value' };
  if (kind === 'number') {
    const number = Number(text);
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text) || !Number.isFinite(number)) {
      return { ok: false, error: 'Enter a number' };
    }
    const scaler = object.scaler ?? 1;
    const raw = number / scaler;
    const range = RANGES[object.data_type ?? ''];
    if (!range) return { ok: true, value: raw };
    const whole = Math.round(raw);
    const decimals = scalerDecimals(scaler);
    if (Math.abs(raw - whole) > 1e-6) {
      return {
        ok: false,
        error: scaler === 1 ? 'Enter a whole number' : `Enter a multiple of ${formatNumber(scaler, decimals)}`,
      };
    }
    const [min, max] = range;
    if (whole < min || whole > max) {
      const low = formatNumber(applyScaler(min, scaler));
      const high = formatNumber(applyScaler(max, scaler));
      return { ok: false, error: `Enter a value between ${low} and ${withUnit(high, object.unit)}` };
    }
    return { ok: true, value: whole };
  }
  if (kind === 'text') {
    if (object.data_type !== 'utf8-string' && !/^[\x20-\x7e]*$/.test(text)) {
      return { ok: false, error: 'Use plain ASCII characters only' };
    }
    return { ok: true, value: text };
  }
  if (kind === 'date-time') {
    const match = DATE_TIME.exec(text);
    const date = match ? new Date(match[3] ? `${match[1]}T${match[2]}${match[3]}` : `${match[1]}T${match[2]}`) : null;
    if (!match || !date || Number.isNaN(date.getTime())) {
      return { ok: false, error: 'Enter a date and time like 2026-11-26T10:00:00 (ISO 8601)' };
    }
    // The API needs the UTC offset; without one the time is the browser's local time.
    return { ok: true, value: match[3] ? `${match[1]}T${match[2]}${match[3]}` : localIso(date) };
  }
  if (kind === 'date') {
    return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))
      ? { ok: true, value: text }
      : { ok: false, error: 'Enter a date like 2026-11-26' };
  }
  return /^\d{2}:\d{2}(:\d{2})?$/.test(text) ? { ok: true, value: text } : { ok: false, error: 'Enter a time like 10:00:00' };
}

/** How one item is told apart in a job's results. */
export const resultKey = (op: string, obis: string, index: number) => `${op}|${obis}|${index}`;

const preciseTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** When a meter answered, to the second. */
export function formatReadTime(value: string | null | undefined) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : preciseTime.format(date);
}

/** Objects by their group, the groups in the order they first appear in the profile. */
export function groupObjects<T extends { group: string }>(objects: T[]) {
  const groups = new Map<string, T[]>();
  for (const object of objects) groups.set(object.group, [...(groups.get(object.group) ?? []), object]);
  return [...groups.entries()];
}
