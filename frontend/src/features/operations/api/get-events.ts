import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { operationsQueryKey } from '@/features/operations/api/keys';
import { downloadReport, type ReportFormat } from '@/features/operations/api/reports';

export type EventItem = components['schemas']['EventItem'];
export type EventAnalysis = components['schemas']['EventAnalysis'];
type EventPage = components['schemas']['EventPage'];
type EventTypes = components['schemas']['EventTypes'];

/** The filters the event report, its export and the analysis share. */
export type EventFilters = NonNullable<operations['events_analysis']['parameters']['query']>;
export type EventListParams = NonNullable<operations['list_events']['parameters']['query']>;

export const SEVERITIES = ['info', 'warning', 'high', 'critical'] as const;

const eventsQueryKey = [...operationsQueryKey, 'events'] as const;

export const getEvents = (params: EventListParams, signal?: AbortSignal) =>
  api.get<EventPage>('/events', { query: params, signal });

export const eventsQueryOptions = (params: EventListParams) =>
  queryOptions({
    queryKey: [...eventsQueryKey, 'list', params],
    queryFn: ({ signal }) => getEvents(params, signal),
    placeholderData: keepPreviousData,
  });

export const useEvents = (params: EventListParams) => useQuery(eventsQueryOptions(params));

export const eventTypesQueryOptions = () =>
  queryOptions({
    queryKey: [...eventsQueryKey, 'types'],
    queryFn: ({ signal }) => api.get<EventTypes>('/events/types', { signal }),
    staleTime: 60_000,
  });

export const useEventTypes = () => useQuery(eventTypesQueryOptions());

export const eventAnalysisQueryOptions = (filters: EventFilters) =>
  queryOptions({
    queryKey: [...eventsQueryKey, 'analysis', filters],
    queryFn: ({ signal }) => api.get<EventAnalysis>('/events/analysis', { query: filters, signal }),
    placeholderData: keepPreviousData,
  });

export const useEventAnalysis = (filters: EventFilters) => useQuery(eventAnalysisQueryOptions(filters));

export const exportEvents = (filters: EventFilters, format: ReportFormat) =>
  downloadReport('/events/export', 'events', format, filters);
