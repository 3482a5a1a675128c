import { Badge } from '@mantine/core';
import type { Role } from '@/features/users/api/get-users';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  operator: 'Operator',
  viewer: 'Viewer',
  customer: 'Customer',
};

const COLORS: Record<string, string> = { admin: 'red', operator: 'blue', viewer: 'gray', customer: 'teal' };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge variant="light" styles={{ label: { overflow: 'visible' } }} color={COLORS[role] ?? 'gray'}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
