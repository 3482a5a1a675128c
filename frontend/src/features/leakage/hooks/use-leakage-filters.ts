import { createSearchParams, generatePath, useSearchParams } from 'react-router';
import { paths } from '@/config/paths';
import type { Indicator, LeakageFilters } from '@/features/leakage/api/get-leakage';

export const LEAKAGE_FILTER_KEYS = ['from', 'to', 'offline_days'] as const;
export type LeakageFilterKey = (typeof LEAKAGE_FILTER_KEYS)[number];
/** As the inputs hold them; '' is the server's default (the last 30 days, 3 days offline). */
export type LeakageFilterValues = Record<LeakageFilterKey, string>;

const query = (values: Partial<LeakageFilterValues>, area?: string) =>
  createSearchParams(
    Object.entries({ ...values, area }).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();

/** The summary page with these filters. */
export const summaryLink = (values: Partial<LeakageFilterValues>) => {
  const search = query(values);
  return search ? `${paths.leakage}?${search}` : paths.leakage;
};

/** The meters behind one count, for these filters; `area` narrows it to one area of the summary's table. */
export const metersLink = (indicator: Indicator, values: Partial<LeakageFilterValues>, area?: string | null) => {
  const search = query(values, area ?? undefined);
  const path = generatePath(paths.leakageMeters, { indicator });
  return search ? `${path}?${search}` : path;
};

/**
 * The period and the offline threshold kept in the address, so the links between the summary and the
 * lists carry them and a reload keeps them. `area` in the address (a per-area count's link) names one area.
 */
export function useLeakageFilters() {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(LEAKAGE_FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as LeakageFilterValues;

  const change = (key: LeakageFilterKey | 'area', value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return {
    values,
    setValue: (key: LeakageFilterKey, value: string) => change(key, value),
    linkedArea: params.get('area') ?? '',
    clearLinkedArea: () => change('area', ''),
  };
}

/** The filters as the API takes them, for an area ('' is all areas). */
export const leakageQuery = (values: LeakageFilterValues, area: string): LeakageFilters => {
  const offline = Number.parseInt(values.offline_days, 10);
  return {
    from: values.from || undefined,
    to: values.to || undefined,
    offline_days: Number.isFinite(offline) ? offline : undefined,
    area: area || undefined,
  };
};
