import { LineChart } from '@mantine/charts';
import { Badge, Card, List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { formatDateTime } from '@/lib/format';
import type { DayEnergy, EvidenceEvent, RuleHit } from '@/features/revenue/api/theft';
import { formatKwh, formatScore, humanize } from '@/features/revenue/utils/labels';

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={4}>{title}</Title>
        {children}
      </Stack>
    </Card>
  );
}

/**
 * The meter's daily import, and beside it the area's average per meter when given. A day without
 * data is a gap in the line, not a drop to zero.
 */
export function DailyImportChart({ profile, areaProfile }: { profile: DayEnergy[]; areaProfile?: DayEnergy[] }) {
  const area = new Map((areaProfile ?? []).map((point) => [point.day, point.import_kwh]));
  const data = profile.map((point) => ({
    day: point.day,
    Meter: point.import_kwh,
    ...(areaProfile ? { 'Area average': area.get(point.day) ?? null } : {}),
  }));
  const withData = profile.filter((point) => point.import_kwh !== null).length;
  if (profile.length === 0) return <Text c="dimmed">No daily data.</Text>;
  return (
    <Stack gap={4}>
      <LineChart
        h={240}
        data={data}
        dataKey="day"
        connectNulls={false}
        withDots={false}
        withLegend
        unit=" kWh"
        valueFormatter={formatKwh}
        series={[
          { name: 'Meter', label: 'Meter, kWh a day', color: 'blue.6' },
          ...(areaProfile ? [{ name: 'Area average', label: 'Area average per meter', color: 'gray.5' }] : []),
        ]}
      />
      <Text size="xs" c="dimmed">
        {`${profile[0]?.day} to ${profile.at(-1)?.day}: ${withData} of ${profile.length} days with data; days without are gaps.`}
      </Text>
    </Stack>
  );
}

export function ScoreHistoryChart({ history }: { history: { as_of: string; score: number }[] }) {
  if (history.length < 2) {
    return <Text c="dimmed">{history.length === 1 ? 'Scored once so far.' : 'No earlier scores.'}</Text>;
  }
  return (
    <LineChart
      h={160}
      data={history.map((point) => ({ day: point.as_of, Score: point.score }))}
      dataKey="day"
      connectNulls={false}
      yAxisProps={{ domain: [0, 1] }}
      valueFormatter={formatScore}
      series={[{ name: 'Score', color: 'red.6' }]}
    />
  );
}

export function Reasons({ reasons }: { reasons: string[] }) {
  if (reasons.length === 0) return <Text c="dimmed">Nothing unusual was found.</Text>;
  return (
    <List size="sm" spacing={4} aria-label="Reasons">
      {reasons.map((reason) => (
        <List.Item key={reason}>{reason}</List.Item>
      ))}
    </List>
  );
}

export function RuleHits({ hits }: { hits: RuleHit[] }) {
  if (hits.length === 0) return <Text c="dimmed">No rule hit.</Text>;
  return (
    <List size="sm" spacing={4} aria-label="Rule hits">
      {hits.map((hit) => (
        <List.Item key={hit.rule}>
          <Badge size="sm" variant="outline" color="red" mr="xs">
            {humanize(hit.rule)}
          </Badge>
          {hit.message}
          {hit.since ? ` (since ${hit.since})` : ''}
        </List.Item>
      ))}
    </List>
  );
}

type NumberedEvent = EvidenceEvent & { n: number };

const EVENT_COLUMNS: Column<NumberedEvent>[] = [
  { key: 'at', header: 'Time', render: (e) => formatDateTime(e.at) },
  {
    key: 'type',
    header: 'Event',
    render: (e) => (
      <>
        {humanize(e.type)}
        {e.tamper ? (
          <Badge size="xs" color="red" variant="outline" ml={6}>
            Tamper
          </Badge>
        ) : null}
      </>
    ),
  },
  { key: 'severity', header: 'Severity', render: (e) => humanize(e.severity) },
];

export function EventsTable({ label, events }: { label: string; events: EvidenceEvent[] }) {
  return (
    <DataTable
      label={label}
      columns={EVENT_COLUMNS}
      rows={events.map((event, n) => ({ ...event, n }))}
      rowKey={(event) => String(event.n)}
      loading={false}
      emptyText="No events in these days."
      minWidth={480}
    />
  );
}
