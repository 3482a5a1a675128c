import { api } from '@/lib/api-client';
import type { components } from '@/lib/api/schema';
import { useInvalidatingMutation } from '@/lib/react-query';
import { usersQueryKey, type User } from '@/features/users/api/get-users';

export type UserCreate = components['schemas']['UserCreate'];
/** A PATCH sends only what changes (the generated type marks defaulted fields as required). */
export type UserUpdate = Partial<components['schemas']['UserUpdate']>;

const userPath = (username: string) => `/users/${encodeURIComponent(username)}`;

export const createUser = (body: UserCreate) => api.post<User>('/users', { json: body });

/** Also enables/disables and resets the password (the user must then change it). */
export const updateUser = ({ username, body }: { username: string; body: UserUpdate }) =>
  api.patch<User>(userPath(username), { json: body });

export const deleteUser = (username: string) => api.delete(userPath(username));

export const useCreateUser = () => useInvalidatingMutation(createUser, usersQueryKey);
export const useUpdateUser = () => useInvalidatingMutation(updateUser, usersQueryKey);
export const useToggleUser = () => useInvalidatingMutation(updateUser, usersQueryKey, { errorTitle: 'Could not change the user' });
export const useDeleteUser = () => useInvalidatingMutation(deleteUser, usersQueryKey);
