import { Dashboard } from '@/features/operations/components/dashboard';

export function Component() {
  return <Dashboard />;
}
