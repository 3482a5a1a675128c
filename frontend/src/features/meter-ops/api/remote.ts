import { keepPreviousData, queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { meterOpsQueryKey } from '@/features/meter-ops/api/get-meter-ops';

export type RelayAction = components['schemas']['RelayRequest']['action'];
export type TokenLoad = components['schemas']['TokenLoad'];
type JobAccepted = components['schemas']['JobAccepted'];
type TokenLoadPage = components['schemas']['TokenLoadPage'];

const meterPath = (meterNumber: string) => `/meters/${encodeURIComponent(meterNumber)}`;

/** Disconnect or reconnect; the job also reads the relay's output and control state back. */
export const switchRelay = ({ meterNumber, action }: { meterNumber: string; action: RelayAction }) =>
  api.post<JobAccepted>(`${meterPath(meterNumber)}/relay`, { json: { action } });

export const useSwitchRelay = () =>
  useMutation({ mutationFn: switchRelay, meta: { errorToast: false } });

/** `token` is the 20 digits; the job also reads the token status and the credit back. */
export const loadToken = ({ meterNumber, token }: { meterNumber: string; token: string }) =>
  api.post<JobAccepted>(`${meterPath(meterNumber)}/tokens`, { json: { token } });

export const useLoadToken = () => useMutation({ mutationFn: loadToken, meta: { errorToast: false } });

export const tokenHistoryQueryKey = (meterNumber: string) => [...meterOpsQueryKey, 'tokens', meterNumber] as const;

export const tokenHistoryQueryOptions = (meterNumber: string, page: number, pageSize: number) =>
  queryOptions({
    queryKey: [...tokenHistoryQueryKey(meterNumber), { page, pageSize }],
    queryFn: ({ signal }) =>
      api.get<TokenLoadPage>(`${meterPath(meterNumber)}/tokens`, { query: { page, page_size: pageSize }, signal }),
    placeholderData: keepPreviousData,
    // A load is stored as pending first; its outcome follows the job's results.
    refetchInterval: (query) => (query.state.data?.items.some((load) => load.status === 'pending') ? 2000 : false),
  });

export const useTokenHistory = (meterNumber: string, page: number, pageSize: number) =>
  useQuery(tokenHistoryQueryOptions(meterNumber, page, pageSize));

/** The edge listener's view of the meter's connection (peer, open since, the last frames in hex), as a job. */
export const diagnoseConnection = (meterNumber: string) =>
  api.post<JobAccepted>(`${meterPath(meterNumber)}/diagnostics`);

export const useDiagnoseConnection = () =>
  useMutation({ mutationFn: diagnoseConnection, meta: { errorToast: false } });
