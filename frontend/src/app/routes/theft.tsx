import { TheftPage } from '@/features/revenue/components/theft-page';

export function Component() {
  return <TheftPage />;
}
