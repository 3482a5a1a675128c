import { createSearchParams, useSearchParams } from 'react-router';
import { paths } from '@/config/paths';
import type { EventFilters } from '@/features/operations/api/get-events';

export const EVENT_FILTER_KEYS = ['from', 'to', 'meter', 'type', 'severity', 'tamper'] as const;
export type EventFilterKey = (typeof EVENT_FILTER_KEYS)[number];
/** As the inputs hold them: '' is "any"; `tamper` is 'true' or ''. */
export type EventFilterValues = Record<EventFilterKey, string>;

/** A link to the event report with these filters, e.g. one meter's events. */
export const eventsLink = (filters: Partial<EventFilterValues>) =>
  `${paths.events}?${createSearchParams(Object.entries(filters).filter(([, value]) => value)).toString()}`;

/**
 * The event filters kept in the address, so a link such as `/events?meter=…` opens them and a
 * reload keeps them. `defaults` apply while the address does not name a filter; an empty value in
 * the address (`from=`) overrides a default.
 */
export function useEventFilters(defaults: Partial<EventFilterValues> = {}) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(
    EVENT_FILTER_KEYS.map((key) => [key, params.get(key) ?? defaults[key] ?? '']),
  ) as EventFilterValues;

  const setValue = (key: EventFilterKey, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value || defaults[key]) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return { values, setValue };
}

/** The filters as the API takes them, for the area chosen in the header ('' is all areas). */
export const eventQuery = (values: EventFilterValues, area: string): EventFilters => ({
  from: values.from || undefined,
  to: values.to || undefined,
  meter: values.meter.trim() || undefined,
  type: values.type || undefined,
  severity: values.severity || undefined,
  tamper: values.tamper === 'true' ? 'true' : undefined,
  area: area || undefined,
});
