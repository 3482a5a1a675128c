import { Badge } from '@mantine/core';
import type { CaseStatus } from '@/features/revenue/api/cases';

// The badges hold the API's words ("high", "investigating"); they show in capitals.

const RISK_COLORS: Record<string, string> = { high: 'red', medium: 'orange', low: 'gray' };

export function RiskBadge({ risk }: { risk: string | null | undefined }) {
  if (!risk) return <>—</>;
  return (
    <Badge variant={risk === 'high' ? 'filled' : 'light'} color={RISK_COLORS[risk] ?? 'gray'} miw="max-content">
      {risk}
    </Badge>
  );
}

const STATUS_COLORS: Record<CaseStatus, string> = { open: 'blue', investigating: 'orange', resolved: 'green' };

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge variant="light" color={STATUS_COLORS[status]}>
      {status}
    </Badge>
  );
}
