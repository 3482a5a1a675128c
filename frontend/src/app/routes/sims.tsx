import { SimsList } from '@/features/sims/components/sims-list';

export function Component() {
  return <SimsList />;
}
