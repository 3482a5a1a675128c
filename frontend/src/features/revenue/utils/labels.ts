import { createSearchParams, generatePath } from 'react-router';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import type { CaseStatus, Outcome } from '@/features/revenue/api/cases';

/** "theft_confirmed" → "Theft confirmed". */
export function humanize(text: string) {
  const spaced = text.replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** What a field visit may find, in the order offered. */
export const OUTCOME_VALUES = ['theft_confirmed', 'no_theft', 'meter_fault', 'data_problem'] as const satisfies readonly Outcome[];

const OUTCOME_LABELS: Record<Outcome, string> = {
  theft_confirmed: 'Theft confirmed',
  no_theft: 'No theft',
  meter_fault: 'Meter fault',
  data_problem: 'Data problem',
};

export const OUTCOMES = OUTCOME_VALUES.map((value) => ({ value, label: OUTCOME_LABELS[value] }));

export const outcomeLabel = (outcome: string | null | undefined) =>
  outcome ? (OUTCOME_LABELS[outcome as Outcome] ?? humanize(outcome)) : '—';

export const CASE_STATUSES: CaseStatus[] = ['open', 'investigating', 'resolved'];

export const caseLink = (id: string) => generatePath(paths.case, { id });

/** The single-meter reading page, opened on this meter. */
export const meterLink = (meterNumber: string) =>
  `${paths.meterReading}?${createSearchParams({ meter: meterNumber }).toString()}`;

const score = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const formatScore = (value: number | null | undefined) => (value === null || value === undefined ? '—' : score.format(value));

const kwh = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
/** A day without data is a gap: "—", never 0. */
export const formatKwh = (value: number | null | undefined) => (value === null || value === undefined ? '—' : kwh.format(value));

/** The meter's open case named by a 409 answer to opening another one ("open case C-000042"). */
export function existingCaseId(error: unknown) {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const texts = [...error.details.map((detail) => detail.message), error.message];
  for (const text of texts) {
    const match = /\b(C-\d+)\b/.exec(text);
    if (match?.[1]) return match[1];
  }
  return null;
}
