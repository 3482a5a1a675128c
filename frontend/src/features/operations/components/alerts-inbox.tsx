import { Anchor, Button, Checkbox, Group, NativeSelect, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconChecks } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { DataTable, type Column } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { PaginationBar } from '@/components/ui/pagination-bar';
import { useListState } from '@/hooks/use-list-state';
import { useAreaFilter } from '@/lib/area-filter';
import { usePermissions } from '@/lib/authorization';
import { formatDateTime, plural } from '@/lib/format';
import { useAlerts, type Alert, type AlertListParams, type AlertView } from '@/features/operations/api/alerts';
import { SEVERITIES } from '@/features/operations/api/get-events';
import { AcknowledgeDialog } from '@/features/operations/components/acknowledge-dialog';
import { SeverityBadge } from '@/features/operations/components/severity-badge';
import { eventsLink } from '@/features/operations/hooks/use-event-filters';
import { humanize } from '@/features/operations/utils/format';

const COLUMNS: Column<Alert>[] = [
  { key: 'severity', header: 'Severity', render: (a) => <SeverityBadge severity={a.severity} /> },
  {
    key: 'meter_number',
    header: 'Meter',
    render: (a) => (
      <Anchor component={Link} to={eventsLink({ meter: a.meter_number })} ff="monospace" size="sm">
        {a.meter_number}
      </Anchor>
    ),
  },
  { key: 'area_name', header: 'Area', render: (a) => a.area_name ?? '—' },
  { key: 'type', header: 'Type', render: (a) => humanize(a.type) },
  { key: 'count', header: 'Count', render: (a) => `×${a.count}` },
  { key: 'first_at', header: 'First', render: (a) => formatDateTime(a.first_at) },
  { key: 'last_at', header: 'Last', render: (a) => formatDateTime(a.last_at) },
];

const ACKNOWLEDGED_COLUMNS: Column<Alert>[] = [
  { key: 'acknowledged_at', header: 'Acknowledged', render: (a) => formatDateTime(a.acknowledged_at) },
  { key: 'acknowledged_by', header: 'By', render: (a) => a.acknowledged_by ?? '—' },
  {
    key: 'note',
    header: 'Note',
    render: (a) => (
      <Text size="sm" style={{ whiteSpace: 'normal' }}>
        {a.note ?? '—'}
      </Text>
    ),
  },
];

/** An Investigation alert's reasons in words (theft detection puts them in its details). */
function alertReasons(alert: Alert) {
  const reasons = alert.details?.reasons;
  return Array.isArray(reasons) ? reasons.filter((reason): reason is string => typeof reason === 'string') : [];
}

function AlertReasons({ alert }: { alert: Alert }) {
  const reasons = alertReasons(alert);
  if (reasons.length === 0) return null;
  const score = alert.details?.score;
  return (
    <Text size="sm" c="dimmed" style={{ whiteSpace: 'normal' }}>
      Why{typeof score === 'number' ? ` (score ${score.toFixed(2)})` : ''}: {reasons.join('; ')}
    </Text>
  );
}

/**
 * The alerts inbox: the active alerts, critical first, asked again every few seconds; an operator
 * acknowledges one or the ticked ones with a note. The acknowledged ones are a second view.
 * `rowAction` adds a button to each active alert (the alerts route adds opening a case).
 */
export function AlertsInbox({ rowAction }: { rowAction?: (alert: Alert) => ReactNode } = {}) {
  const canAcknowledge = usePermissions().can('alerts:acknowledge');
  const [area] = useAreaFilter();
  const [view, setView] = useState<AlertView>('active');
  const [severity, setSeverity] = useState('');
  const filters: AlertListParams = { status: view, area: area || undefined, severity: severity || undefined };
  const list = useListState(JSON.stringify(filters));
  const alerts = useAlerts({ ...filters, page: list.page, page_size: list.pageSize });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [acknowledging, setAcknowledging] = useState<{ alerts: Alert[]; opened: boolean }>({ alerts: [], opened: false });
  const openAcknowledge = (targets: Alert[]) => setAcknowledging({ alerts: targets, opened: true });

  const active = view === 'active';
  const selectable = canAcknowledge && active;
  const rows = alerts.data?.items ?? [];
  // Only ticked alerts still in the inbox count: others may have been acknowledged meanwhile.
  const ticked = rows.filter((alert) => selected.has(alert.id));

  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const selectColumn: Column<Alert> = {
    key: 'select',
    header: (
      <Checkbox
        aria-label="Select all"
        checked={rows.length > 0 && ticked.length === rows.length}
        indeterminate={ticked.length > 0 && ticked.length < rows.length}
        disabled={rows.length === 0}
        onChange={(event) => select(rows.map((alert) => alert.id), event.currentTarget.checked)}
      />
    ),
    render: (alert) => (
      <Checkbox
        aria-label={`Select ${humanize(alert.type)} on ${alert.meter_number}`}
        checked={selected.has(alert.id)}
        onChange={(event) => select([alert.id], event.currentTarget.checked)}
      />
    ),
  };
  const actionsColumn: Column<Alert> = {
    key: 'actions',
    header: 'Actions',
    render: (alert) => (
      <Group gap="xs" wrap="nowrap">
        {selectable ? (
          <Button
            size="compact-sm"
            variant="light"
            aria-label={`Acknowledge ${humanize(alert.type)} on ${alert.meter_number}`}
            onClick={() => openAcknowledge([alert])}
          >
            Acknowledge
          </Button>
        ) : null}
        {rowAction?.(alert)}
      </Group>
    ),
  };

  let columns = active ? COLUMNS : [...COLUMNS, ...ACKNOWLEDGED_COLUMNS];
  if (selectable) columns = [selectColumn, ...columns];
  if (active && (selectable || rowAction)) columns = [...columns, actionsColumn];

  return (
    <Stack>
      <PageHeader title="Alerts">
        {selectable ? (
          <Button
            leftSection={<IconChecks size={16} />}
            disabled={ticked.length === 0}
            onClick={() => openAcknowledge(ticked)}
          >
            Acknowledge selected
          </Button>
        ) : null}
      </PageHeader>
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <SegmentedControl
            aria-label="Alert view"
            value={view}
            onChange={(value) => {
              setView(value as AlertView);
              setSelected(new Set());
            }}
            data={[
              { value: 'active', label: 'Active' },
              { value: 'acknowledged', label: 'Acknowledged' },
            ]}
          />
          <NativeSelect
            aria-label="Severity filter"
            value={severity}
            onChange={(event) => setSeverity(event.currentTarget.value)}
            data={[{ value: '', label: 'All severities' }, ...SEVERITIES.map((value) => ({ value, label: humanize(value) }))]}
          />
        </Group>
        {selectable && ticked.length > 0 ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              {plural(ticked.length, 'alert', 'alerts')} selected
            </Text>
            <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setSelected(new Set())}>
              Clear selection
            </Button>
          </Group>
        ) : null}
      </Group>
      <DataTable
        label={active ? 'Active alerts' : 'Acknowledged alerts'}
        columns={columns}
        rows={alerts.data?.items}
        rowKey={(alert) => alert.id}
        renderDetail={(alert) => (alertReasons(alert).length > 0 ? <AlertReasons alert={alert} /> : null)}
        loading={alerts.isFetching && !alerts.data}
        emptyText={active ? 'No active alerts.' : 'No acknowledged alerts.'}
        minWidth={active ? 960 : 1280}
      />
      <PaginationBar
        page={list.page}
        pageSize={list.pageSize}
        total={alerts.data?.total}
        onPageChange={list.setPage}
        onPageSizeChange={list.setPageSize}
      />
      {canAcknowledge ? (
        <AcknowledgeDialog
          opened={acknowledging.opened}
          alerts={acknowledging.alerts}
          onClose={() => setAcknowledging((current) => ({ ...current, opened: false }))}
          onDone={(ids) => select(ids, false)}
        />
      ) : null}
    </Stack>
  );
}
