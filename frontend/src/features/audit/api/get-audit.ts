import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';

export type AuditEntry = components['schemas']['AuditEntry'];
type AuditPage = components['schemas']['AuditPage'];

export type AuditListParams = { q?: string; username?: string; sort?: string; page?: number; page_size?: number };

const auditQueryKey = ['audit'] as const;

export const getAudit = (params: AuditListParams, signal?: AbortSignal) =>
  api.get<AuditPage>('/audit', { query: params, signal });

export const auditQueryOptions = (params: AuditListParams) =>
  queryOptions({
    queryKey: [...auditQueryKey, 'list', params],
    queryFn: ({ signal }) => getAudit(params, signal),
    placeholderData: keepPreviousData,
  });

export const useAudit = (params: AuditListParams) => useQuery(auditQueryOptions(params));
