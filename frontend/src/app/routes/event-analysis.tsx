import { EventAnalysis } from '@/features/operations/components/event-analysis';

export function Component() {
  return <EventAnalysis />;
}
