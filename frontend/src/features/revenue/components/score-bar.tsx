import { Group, Progress, Text } from '@mantine/core';
import { formatScore } from '@/features/revenue/utils/labels';

const COLORS: Record<string, string> = { high: 'red', medium: 'orange', low: 'gray' };

/** A 0–1 score as a bar and its number. */
export function ScoreBar({ score, risk }: { score: number; risk: string }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress
        value={Math.round(score * 100)}
        color={COLORS[risk] ?? 'gray'}
        w={72}
        aria-label={`Score ${formatScore(score)}`}
      />
      <Text size="sm" ff="monospace">
        {formatScore(score)}
      </Text>
    </Group>
  );
}
