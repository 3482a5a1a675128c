import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { downloadCsv } from '@/lib/csv';

export type MyMeters = components['schemas']['MyMeters'];
export type MyMeter = components['schemas']['MyMeter'];
export type MyConsumption = components['schemas']['MyConsumption'];
export type MyTokenLoad = components['schemas']['MyTokenLoad'];
export type MyEvent = components['schemas']['MyEvent'];
type MyTokenLoadPage = components['schemas']['MyTokenLoadPage'];
type MyEventPage = components['schemas']['MyEventPage'];

export type ConsumptionPeriod = NonNullable<operations['my_consumption']['parameters']['query']>;
export const GRANULARITIES = ['hourly', 'daily', 'weekly', 'monthly'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export type DownloadFormat = 'csv' | 'pdf';

/** Everything the customer's own pages read. */
export const myQueryKey = ['my'] as const;
/** A customer's meter state (online, relay, credit) is asked again this often while a page shows it. */
export const MY_REFRESH_MS = 30_000;

const meterPath = (meterNumber: string) => `/my/meters/${encodeURIComponent(meterNumber)}`;

export const myMetersQueryOptions = () =>
  queryOptions({
    queryKey: [...myQueryKey, 'meters'],
    queryFn: ({ signal }) => api.get<MyMeters>('/my/meters', { signal }),
    refetchInterval: MY_REFRESH_MS,
  });

export const useMyMeters = () => useQuery(myMetersQueryOptions());

export const myMeterQueryOptions = (meterNumber: string) =>
  queryOptions({
    queryKey: [...myQueryKey, 'meters', meterNumber],
    queryFn: ({ signal }) => api.get<MyMeter>(meterPath(meterNumber), { signal }),
    refetchInterval: MY_REFRESH_MS,
  });

export const useMyMeter = (meterNumber: string) => useQuery(myMeterQueryOptions(meterNumber));

export const myConsumptionQueryOptions = (meterNumber: string, period: ConsumptionPeriod) =>
  queryOptions({
    queryKey: [...myQueryKey, 'meters', meterNumber, 'consumption', period],
    queryFn: ({ signal }) => api.get<MyConsumption>(`${meterPath(meterNumber)}/consumption`, { query: period, signal }),
    placeholderData: keepPreviousData,
  });

export const useMyConsumption = (meterNumber: string, period: ConsumptionPeriod) =>
  useQuery(myConsumptionQueryOptions(meterNumber, period));

export const downloadMyConsumption = (meterNumber: string, period: ConsumptionPeriod, format: DownloadFormat) =>
  downloadCsv(`${meterPath(meterNumber)}/consumption/export`, `consumption-${meterNumber}.${format}`, {
    ...period,
    format,
  });

export const myTokensQueryOptions = (meterNumber: string, page: number) =>
  queryOptions({
    queryKey: [...myQueryKey, 'meters', meterNumber, 'tokens', page],
    queryFn: ({ signal }) =>
      api.get<MyTokenLoadPage>(`${meterPath(meterNumber)}/tokens`, { query: { page, page_size: 10 }, signal }),
    placeholderData: keepPreviousData,
  });

export const useMyTokens = (meterNumber: string, page: number) => useQuery(myTokensQueryOptions(meterNumber, page));

export const myEventsQueryOptions = (meterNumber: string, page: number) =>
  queryOptions({
    queryKey: [...myQueryKey, 'meters', meterNumber, 'events', page],
    queryFn: ({ signal }) =>
      api.get<MyEventPage>(`${meterPath(meterNumber)}/events`, { query: { page, page_size: 10 }, signal }),
    placeholderData: keepPreviousData,
  });

export const useMyEvents = (meterNumber: string, page: number) => useQuery(myEventsQueryOptions(meterNumber, page));
