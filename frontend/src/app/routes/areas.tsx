import { AreasList } from '@/features/areas/components/areas-list';

export function Component() {
  return <AreasList />;
}
