import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { startSession, type TokenResponse } from '@/lib/auth';

export type ChangePasswordRequest = components['schemas']['ChangePasswordRequest'];

/** Answers new tokens: every older refresh token is revoked. */
export const changePassword = (body: ChangePasswordRequest) =>
  api.post<TokenResponse>('/auth/change-password', { json: body });

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: (tokens) => startSession(queryClient, tokens),
    meta: { errorToast: false },
  });
}
