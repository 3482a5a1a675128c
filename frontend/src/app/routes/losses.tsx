import { TechnicalLosses } from '@/features/losses/components/technical-losses';

export function Component() {
  return <TechnicalLosses />;
}
