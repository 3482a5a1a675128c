import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { startSession, type TokenResponse } from '@/lib/auth';

export type LoginRequest = components['schemas']['LoginRequest'];

export const login = (body: LoginRequest) =>
  api.post<TokenResponse>('/auth/login', { json: body, authenticated: false });

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (tokens) => startSession(queryClient, tokens),
    meta: { errorToast: false },
  });
}
