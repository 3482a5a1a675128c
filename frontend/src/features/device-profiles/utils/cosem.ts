import type { CosemObject } from '@/features/device-profiles/api/get-device-profiles';

/** The DLMS data types the API accepts (`DATA_TYPES` in chalicelib/domain/profiles.py). */
export const DATA_TYPES = [
  'null-data',
  'boolean',
  'bit-string',
  'double-long',
  'double-long-unsigned',
  'octet-string',
  'visible-string',
  'utf8-string',
  'bcd',
  'integer',
  'long',
  'unsigned',
  'long-unsigned',
  'long64',
  'long64-unsigned',
  'enum',
  'float32',
  'float64',
  'date-time',
  'date',
  'time',
  'array',
  'structure',
  'compact-array',
] as const;

export const KINDS = ['attribute', 'method'] as const satisfies readonly CosemObject['kind'][];

export const ACCESS_LABELS: Record<CosemObject['access'], string> = {
  R: 'R (read)',
  W: 'W (write)',
  RW: 'RW (read and write)',
  X: 'X (execute)',
};

/** Kind and index tell apart the entries of one OBIS code; the API refuses two objects with the same key. */
export const objectKey = (object: Pick<CosemObject, 'obis' | 'kind' | 'index'>) =>
  `${object.obis}|${object.kind}|${object.index}`;

/** An object as people name it: "1.0.1.8.0.255 attribute 2". */
export const objectLabel = (object: Pick<CosemObject, 'obis' | 'kind' | 'index'>) =>
  `${object.obis} ${object.kind} ${object.index}`;

const OBIS_TEXT = /^\s*(\d{1,3})[.-](\d{1,3})[.:](\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:[.*&](\d{1,3}))?\s*$/;

/**
 * As the API reads OBIS codes: 1.0.1.8.0.255, 1-0:1.8.0.255 or 1-0:1.8.0*255 (F defaults to 255),
 * each group 0–255. Answers the canonical A.B.C.D.E.F, or null for anything else.
 */
export function normaliseObis(text: string): string | null {
  const match = OBIS_TEXT.exec(text);
  if (!match) return null;
  const groups = match.slice(1).map((group) => (group === undefined ? 255 : Number(group)));
  return groups.every((group) => group <= 255) ? groups.join('.') : null;
}

/** The groups of a code typed so far ("1-0:1.8" → [1, 0, 1, 8]); null when it is not (the start of) a code. */
function typedGroups(text: string): number[] | null {
  const parts = text.trim().split(/[.\-:*&]/);
  if (!parts.length || parts.length > 6 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  return parts.map(Number);
}

type Ranges = [number, number][];

/** A catalogue pattern is gurux's mask: per group a value, a range "0-64" or a list "1-20,82". */
function parseMask(pattern: string): Ranges[] | null {
  const groups = pattern.split('.');
  if (groups.length !== 6) return null;
  const masks: Ranges[] = [];
  for (const group of groups) {
    const ranges: Ranges = [];
    for (const item of group.split(',')) {
      const match = /^(\d+)(?:-(\d+))?$/.exec(item);
      if (!match) return null;
      ranges.push([Number(match[1]), Number(match[2] ?? match[1])]);
    }
    masks.push(ranges);
  }
  return masks;
}

const within = (ranges: Ranges, value: number) => ranges.some(([low, high]) => value >= low && value <= high);

/** Whether a catalogue pattern covers a code (canonical A.B.C.D.E.F). */
export function maskMatches(pattern: string, code: string) {
  const masks = parseMask(pattern);
  const groups = code.split('.').map(Number);
  return masks !== null && groups.length === 6 && masks.every((ranges, index) => within(ranges, groups[index] ?? -1));
}

/**
 * One code of a catalogue pattern, keeping what was typed where it fits and the lowest value
 * elsewhere: "1.0-64.1.8.0.255" after typing "1-1:1.8" is 1.1.1.8.0.255.
 */
export function concreteCode(pattern: string, typed: string): string | null {
  const masks = parseMask(pattern);
  if (!masks) return null;
  const given = typedGroups(typed) ?? [];
  return masks
    .map((ranges, index) => {
      const value = given[index];
      return value !== undefined && within(ranges, value) ? value : (ranges[0]?.[0] ?? 0);
    })
    .join('.');
}
