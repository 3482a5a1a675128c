import { CasesPage } from '@/features/revenue/components/cases-page';

export function Component() {
  return <CasesPage />;
}
