import { usePermissions } from '@/lib/authorization';
import { AlertsInbox } from '@/features/operations/components/alerts-inbox';
import { OpenCaseButton } from '@/features/revenue/components/open-case-button';

/** The inbox, where an operator may also open an investigation case from an alert. */
export function Component() {
  const canOpenCase = usePermissions().can('cases:write');
  return (
    <AlertsInbox
      rowAction={
        canOpenCase
          ? (alert) => (
              <OpenCaseButton
                size="compact-sm"
                variant="light"
                body={{ alert_id: alert.id }}
                label={`Open case for ${alert.type.replace(/_/g, ' ')} on ${alert.meter_number}`}
              />
            )
          : undefined
      }
    />
  );
}
