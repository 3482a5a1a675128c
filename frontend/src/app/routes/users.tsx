import { UsersList } from '@/features/users/components/users-list';

export function Component() {
  return <UsersList />;
}
