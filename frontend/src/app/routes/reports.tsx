import { ReportsPage } from '@/features/operations/components/reports-page';

export function Component() {
  return <ReportsPage />;
}
