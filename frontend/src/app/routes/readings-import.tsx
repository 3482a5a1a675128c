import { ReadingsImport } from '@/features/operations/components/readings-import';

export function Component() {
  return <ReadingsImport />;
}
