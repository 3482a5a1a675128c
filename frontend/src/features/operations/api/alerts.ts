import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components, operations } from '@/lib/api/schema';
import { useInvalidatingMutation } from '@/lib/react-query';
import { LIVE_REFRESH_MS, operationsQueryKey } from '@/features/operations/api/keys';

export type Alert = components['schemas']['Alert'];
type AlertPage = components['schemas']['AlertPage'];
type AcknowledgeMany = components['schemas']['AcknowledgeMany'];
type AcknowledgeResult = components['schemas']['AcknowledgeResult'];

export type AlertListParams = NonNullable<operations['list_alerts']['parameters']['query']>;
export type AlertView = 'active' | 'acknowledged';

export const getAlerts = (params: AlertListParams, signal?: AbortSignal) =>
  api.get<AlertPage>('/alerts', { query: params, signal });

export const alertsQueryOptions = (params: AlertListParams) =>
  queryOptions({
    queryKey: [...operationsQueryKey, 'alerts', params],
    queryFn: ({ signal }) => getAlerts(params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });

export const useAlerts = (params: AlertListParams) => useQuery(alertsQueryOptions(params));

/** One alert through its own endpoint, several in one all-or-nothing call. */
export const acknowledgeAlerts = ({ ids, note }: AcknowledgeMany) => {
  const [only] = ids;
  return ids.length === 1 && only !== undefined
    ? api.post<AcknowledgeResult>(`/alerts/${encodeURIComponent(only)}/acknowledge`, { json: { note } })
    : api.post<AcknowledgeResult>('/alerts/acknowledge', { json: { ids, note } });
};

/** Acknowledged alerts leave the inbox and the dashboard's count: every operations view is stale. */
export const useAcknowledgeAlerts = () => useInvalidatingMutation(acknowledgeAlerts, operationsQueryKey);
