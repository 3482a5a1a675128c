import { EventReport } from '@/features/operations/components/event-report';

export function Component() {
  return <EventReport />;
}
