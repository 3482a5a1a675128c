import { AlertsInbox } from '@/features/operations/components/alerts-inbox';

export function Component() {
  return <AlertsInbox />;
}
