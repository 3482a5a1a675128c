import { Group, List, SimpleGrid, Stack, Text } from '@mantine/core';
import { z } from 'zod';
import { formatDateTime } from '@/lib/format';
import type { CaseDetail } from '@/features/revenue/api/cases';
import { RiskBadge } from '@/features/revenue/components/badges';
import { DailyImportChart, EventsTable, Reasons, RuleHits, Section } from '@/features/revenue/components/evidence';
import { ScoreBar } from '@/features/revenue/components/score-bar';
import { humanize } from '@/features/revenue/utils/labels';

/** The alert a case was opened from, as the server captured it. */
const alertSchema = z.object({
  id: z.string(),
  type: z.string(),
  severity: z.string().nullish(),
  count: z.number().nullish(),
  first_at: z.string().nullish(),
  last_at: z.string().nullish(),
  details: z.object({ reasons: z.array(z.string()).optional() }).loose().nullish(),
});

function CapturedAlert({ raw }: { raw: CaseDetail['evidence']['alert'] }) {
  const parsed = alertSchema.safeParse(raw);
  if (!parsed.success) return null;
  const alert = parsed.data;
  return (
    <Section title="Alert">
      <Text size="sm">
        {humanize(alert.type)}
        {alert.severity ? `, ${alert.severity}` : ''}, ×{alert.count ?? 1}: first {formatDateTime(alert.first_at)}, last{' '}
        {formatDateTime(alert.last_at)}
      </Text>
      {alert.details?.reasons?.length ? (
        <List size="sm" spacing={2} aria-label="Alert reasons">
          {alert.details.reasons.map((reason) => (
            <List.Item key={reason}>{reason}</List.Item>
          ))}
        </List>
      ) : null}
    </Section>
  );
}

/** What was seen when the case was opened: it stays as it was while the meter's data moves on. */
export function CaseEvidence({ detail }: { detail: CaseDetail }) {
  const evidence = detail.evidence;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Evidence captured {formatDateTime(evidence.captured_at)}
        {evidence.as_of ? `, from the theft score of ${evidence.as_of}` : ', without a theft score'}.
      </Text>
      <Section title="Score">
        {evidence.score === null ? (
          <Text c="dimmed">The meter had no theft score when the case was opened.</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Group gap="sm">
              <ScoreBar score={evidence.score} risk={evidence.risk ?? 'low'} />
              <RiskBadge risk={evidence.risk} />
            </Group>
          </SimpleGrid>
        )}
        <Reasons reasons={evidence.reasons} />
        <RuleHits hits={evidence.rule_hits} />
      </Section>
      <CapturedAlert raw={evidence.alert} />
      <Section title="Daily import">
        <DailyImportChart profile={evidence.consumption} />
      </Section>
      <Section title="Events">
        <EventsTable label="Events at opening" events={evidence.events} />
      </Section>
    </Stack>
  );
}
