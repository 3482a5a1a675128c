import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconTrendingDown, IconTrendingUp } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '@/components/ui/page-header';
import { useAreaFilter } from '@/lib/area-filter';
import { errorMessage } from '@/lib/notify';
import { plural } from '@/lib/format';
import {
  exportLeakageSummary,
  useLeakageSummary,
  type Indicator,
  type LeakageCounts,
  type LeakageSummary,
} from '@/features/leakage/api/get-leakage';
import { LeakageFilterBar } from '@/features/leakage/components/leakage-filter-bar';
import {
  leakageQuery,
  metersLink,
  useLeakageFilters,
  type LeakageFilterValues,
} from '@/features/leakage/hooks/use-leakage-filters';
import { INDICATORS } from '@/features/leakage/utils/indicators';
import { ReportDownloads } from '@/features/operations/components/report-downloads';
import { StatCard } from '@/features/operations/components/stat-card';
import { formatKwh } from '@/features/operations/utils/format';

/** The figure under each card's count. */
function cardNote(indicator: Indicator, counts: LeakageCounts, summary: LeakageSummary): ReactNode {
  switch (indicator) {
    case 'zero-consumption':
      return `online, no import for ${summary.zero_hours} h`;
    case 'reverse-flow':
      return `${formatKwh(counts.reverse_export_kwh)} kWh exported`;
    case 'tamper':
      return <TamperTrend now={counts.tamper} before={counts.tamper_previous} meters={counts.tamper_meters} />;
    case 'bypass':
      return `${formatKwh(counts.bypass_kwh)} kWh while disconnected`;
    case 'energy-at-risk':
      return `≈ ${formatKwh(counts.at_risk_kwh)} kWh unbilled${counts.at_risk_no_history ? `, ${counts.at_risk_no_history} without history` : ''}`;
  }
}

function TamperTrend({ now, before, meters }: { now: number; before: number; meters: number }) {
  const TrendIcon = now > before ? IconTrendingUp : IconTrendingDown;
  return (
    <Group gap={4} wrap="nowrap" component="span">
      {now !== before ? <TrendIcon size={14} color={now > before ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-teal-6)'} aria-hidden /> : null}
      <span>
        previous period {before} · {plural(meters, 'meter', 'meters')}
      </span>
    </Group>
  );
}

function CountLink({ indicator, value, filters, area, label }: { indicator: Indicator; value: number; filters: LeakageFilterValues; area?: string | null; label: string }) {
  return (
    <Anchor component={Link} to={metersLink(indicator, filters, area)} aria-label={`${label}: ${value}`}>
      {value}
    </Anchor>
  );
}

function AreaTable({ summary, filters, area }: { summary: LeakageSummary; filters: LeakageFilterValues; area: string }) {
  const row = (key: string, name: string, counts: LeakageCounts, areaId: string | null | undefined) => (
    <Table.Tr key={key}>
      <Table.Th scope="row" fw={areaId === undefined ? 700 : 500}>
        {name}
      </Table.Th>
      {INDICATORS.map(({ indicator, count, label }) => (
        <Table.Td key={indicator} ta="right">
          {/* a per-area count opens its area's meters; the totals follow the header's area */}
          <CountLink indicator={indicator} value={counts[count]} filters={filters} area={areaId ?? (area || undefined)} label={`${label}, ${name}`} />
        </Table.Td>
      ))}
      <Table.Td ta="right">{counts.tamper_previous}</Table.Td>
      <Table.Td ta="right">{formatKwh(counts.bypass_kwh)}</Table.Td>
      <Table.Td ta="right">{formatKwh(counts.at_risk_kwh)}</Table.Td>
    </Table.Tr>
  );
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table aria-label="Leakage per area" striped highlightOnHover verticalSpacing="sm" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Area</Table.Th>
            {INDICATORS.map(({ indicator, label }) => (
              <Table.Th key={indicator} ta="right">
                {label}
              </Table.Th>
            ))}
            <Table.Th ta="right">Tamper, previous period</Table.Th>
            <Table.Th ta="right">kWh while disconnected</Table.Th>
            <Table.Th ta="right">Unbilled kWh (estimate)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {summary.areas.map((item) => row(item.area_id ?? 'none', item.area_name ?? 'No area', item, item.area_id))}
          {row('total', area ? 'Total' : 'All areas', summary.overall, undefined)}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * Revenue leakage monitoring: each indicator's count overall (cards) and per area (table), each count a
 * link to the meters behind it; the daily tamper alerts; CSV and PDF of the per-area table.
 */
export function LeakagePage() {
  const [area] = useAreaFilter();
  const { values, setValue } = useLeakageFilters();
  const filters = leakageQuery(values, area);
  const summary = useLeakageSummary(filters);
  const data = summary.data;
  const trend = data?.tamper_trend.map((day) => ({ day: day.day, 'Tamper alerts': day.count })) ?? [];

  return (
    <Stack>
      <PageHeader title="Leakage monitoring">
        <ReportDownloads onDownload={(format) => exportLeakageSummary(filters, format)} />
      </PageHeader>
      <LeakageFilterBar values={values} onChange={setValue} />
      {summary.isError ? (
        <Alert color="red" title="The leakage figures could not be loaded">
          {errorMessage(summary.error)}
        </Alert>
      ) : null}
      <Text size="sm" c="dimmed" aria-live="polite">
        {data ? `${data.from} to ${data.to} (${data.timezone}); tamper alerts compared with ${data.previous_from} to ${data.previous_to}` : ' '}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 5 }}>
        {INDICATORS.map(({ indicator, label, count, icon, color }) => (
          <StatCard
            key={indicator}
            label={label}
            value={data ? <CountLink indicator={indicator} value={data.overall[count]} filters={values} area={area || undefined} label={label} /> : undefined}
            description={data ? cardNote(indicator, data.overall, data) : undefined}
            icon={icon}
            color={color}
          />
        ))}
      </SimpleGrid>
      <Card withBorder padding="md" component="section" aria-label="Per area">
        <Stack gap="sm">
          <Title order={4}>Per area</Title>
          {data ? <AreaTable summary={data} filters={values} area={area} /> : <Skeleton height={160} radius="sm" />}
        </Stack>
      </Card>
      <Card withBorder padding="md" component="section" aria-label="Tamper alerts per day">
        <Stack gap="sm">
          <Title order={4}>Tamper alerts per day</Title>
          {data ? (
            <BarChart h={220} data={trend} dataKey="day" series={[{ name: 'Tamper alerts', color: 'red.6' }]} />
          ) : (
            <Skeleton height={220} radius="sm" />
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
