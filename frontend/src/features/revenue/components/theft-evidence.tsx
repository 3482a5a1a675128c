import { Alert, Anchor, Badge, Drawer, Group, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { usePermissions } from '@/lib/authorization';
import { formatDateTime, plural } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import { useTheftScore, type TheftScoreDetail } from '@/features/revenue/api/theft';
import { CaseStatusBadge, RiskBadge } from '@/features/revenue/components/badges';
import {
  DailyImportChart,
  EventsTable,
  Reasons,
  RuleHits,
  ScoreHistoryChart,
  Section,
} from '@/features/revenue/components/evidence';
import { OpenCaseButton } from '@/features/revenue/components/open-case-button';
import { ScoreBar } from '@/features/revenue/components/score-bar';
import { caseLink, formatScore, meterLink, outcomeLabel } from '@/features/revenue/utils/labels';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text component="div" size="sm">
        {children}
      </Text>
    </Stack>
  );
}

function MeterCases({ detail }: { detail: TheftScoreDetail }) {
  if (detail.cases.length === 0) return <Text c="dimmed">No case on this meter yet.</Text>;
  return (
    <Table aria-label="Cases of this meter" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Case</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Outcome</Table.Th>
          <Table.Th>Opened</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {detail.cases.map((item) => (
          <Table.Tr key={item.id}>
            <Table.Td>
              <Anchor component={Link} to={caseLink(item.id)} size="sm">
                {item.id}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <CaseStatusBadge status={item.status} />
            </Table.Td>
            <Table.Td>{outcomeLabel(item.outcome)}</Table.Td>
            <Table.Td>{formatDateTime(item.created_at)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Evidence({ detail }: { detail: TheftScoreDetail }) {
  const canOpen = usePermissions().can('cases:write');
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Fact label="Score">
          <ScoreBar score={detail.score} risk={detail.risk} />
        </Fact>
        <Fact label="Risk">
          <RiskBadge risk={detail.risk} />
        </Fact>
        <Fact label="As of">{detail.as_of}</Fact>
        <Fact label="Data days">{detail.data_days}</Fact>
        <Fact label="Customer">{detail.customer_name ?? '—'}</Fact>
        <Fact label="Area">{detail.area_name ?? '—'}</Fact>
        <Fact label="Model score">{formatScore(detail.model_score)}</Fact>
        <Fact label="Meter">
          <Anchor component={Link} to={meterLink(detail.meter_number)} ff="monospace" size="sm">
            {detail.meter_number}
          </Anchor>
        </Fact>
      </SimpleGrid>
      <Group gap="sm">
        {detail.open_case ? (
          <Anchor component={Link} to={caseLink(detail.open_case)}>
            Open case {detail.open_case}
          </Anchor>
        ) : canOpen ? (
          <OpenCaseButton body={{ meter_number: detail.meter_number }} />
        ) : null}
        {detail.confirmed_thefts > 0 ? (
          <Badge color="red" variant="outline">
            Theft confirmed before ({plural(detail.confirmed_thefts, 'case', 'cases')})
          </Badge>
        ) : null}
      </Group>
      <Section title="Daily import against the area">
        <DailyImportChart profile={detail.profile} areaProfile={detail.area_profile} />
      </Section>
      <Section title="Why">
        <Reasons reasons={detail.reasons} />
      </Section>
      <Section title="Rule hits">
        <RuleHits hits={detail.rule_hits} />
      </Section>
      <Section title="Score history">
        <ScoreHistoryChart history={detail.history} />
      </Section>
      <Section title="Recent events">
        <EventsTable label="Recent events" events={detail.events} />
      </Section>
      <Section title="Cases">
        <MeterCases detail={detail} />
      </Section>
    </Stack>
  );
}

interface TheftEvidenceProps {
  /** Kept while the drawer closes, so that its content does not change. */
  meterNumber: string | null;
  opened: boolean;
  asOf: string | null;
  onClose: () => void;
}

/** A meter's evidence for the day the list shows: what its score rests on, and its cases. */
export function TheftEvidence({ meterNumber, opened, asOf, onClose }: TheftEvidenceProps) {
  const detail = useTheftScore(meterNumber, asOf);
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="xl"
      title={meterNumber ? `Evidence for meter ${meterNumber}` : 'Evidence'}
    >
      {detail.isPending ? <Skeleton height={400} radius="sm" /> : null}
      {detail.isError ? (
        <Alert color="red" title="The evidence could not be loaded">
          {errorMessage(detail.error)}
        </Alert>
      ) : null}
      {detail.data ? <Evidence detail={detail.data} /> : null}
    </Drawer>
  );
}
