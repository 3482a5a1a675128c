import { Badge } from '@mantine/core';
import type { MeterStatus } from '@/features/meters/api/get-meters';

const COLORS: Record<string, string> = {
  warehouse: 'gray',
  installed: 'blue',
  active: 'green',
  faulty: 'red',
  decommissioned: 'dark',
};

export const statusLabel = (status: string) => status.charAt(0).toUpperCase() + status.slice(1);

export function MeterStatusBadge({ status }: { status: MeterStatus }) {
  return (
    <Badge variant="light" styles={{ label: { overflow: 'visible' } }} color={COLORS[status] ?? 'gray'}>
      {statusLabel(status)}
    </Badge>
  );
}
