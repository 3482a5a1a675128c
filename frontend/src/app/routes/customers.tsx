import { CustomersList } from '@/features/customers/components/customers-list';

export function Component() {
  return <CustomersList />;
}
