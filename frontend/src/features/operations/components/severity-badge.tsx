import { Badge } from '@mantine/core';
import { humanize } from '@/features/operations/utils/format';

const COLORS: Record<string, string> = {
  info: 'blue',
  warning: 'yellow',
  high: 'orange',
  critical: 'red',
};

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <Badge
      variant={severity === 'critical' ? 'filled' : 'light'}
      color={COLORS[severity] ?? 'gray'}
      styles={{ label: { overflow: 'visible' } }}
    >
      {humanize(severity)}
    </Badge>
  );
}
