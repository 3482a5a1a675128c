import { useUser, type UserInfo } from '@/lib/auth';

/** Permission names as the API grants them in `UserInfo.permissions`. */
export type Permission =
  | 'areas:read'
  | 'areas:write'
  | 'meters:read'
  | 'meters:write'
  | 'sims:read'
  | 'sims:write'
  | 'customers:read'
  | 'customers:write'
  | 'profiles:read'
  | 'profiles:write'
  | 'devices:read'
  | 'jobs:read'
  | 'commands:execute'
  | 'users:manage'
  | 'audit:read'
  | 'settings:manage'
  | 'own:read'
  | 'reports:read'
  | 'alerts:acknowledge'
  | 'readings:import'
  | 'theft:run'
  | 'cases:write';

export function permissionsFor(user: UserInfo | null | undefined) {
  const granted = new Set(user?.permissions ?? []);
  return {
    can: (permission: Permission) => granted.has(permission),
    /** A customer login sees only its own meters, whatever else it may read. */
    isCustomer: user?.role === 'customer',
  };
}

export const usePermissions = () => permissionsFor(useUser().data);
