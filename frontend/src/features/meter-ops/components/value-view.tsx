import { Anchor, Code, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { Outcome } from '@/features/meter-ops/hooks/use-meter-jobs';
import { formatReadTime, formatValue, isLongValue, type ValueShape } from '@/features/meter-ops/utils/values';

/** A meter value in words and units; long lists and structures can be opened in full. */
export function ValueView({ value, shape, scaled = false }: { value: unknown; shape: ValueShape; scaled?: boolean }) {
  const [open, toggle] = useDisclosure(false);
  const text = formatValue(value, shape, { scaled });
  if (!isLongValue(value)) return <Text size="sm">{text}</Text>;
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <Text size="sm">{text}</Text>
        <Anchor component="button" type="button" size="xs" onClick={toggle.toggle} aria-expanded={open}>
          {open ? 'Hide' : 'Show all'}
        </Anchor>
      </Group>
      {open ? (
        <ScrollArea.Autosize mah={240} maw={480}>
          <Code block>{JSON.stringify(value, null, 2)}</Code>
        </ScrollArea.Autosize>
      ) : null}
    </Stack>
  );
}

/** Why an item failed, in red: the meter's reason and what it said. */
export function FailureText({ reason, detail }: { reason: string; detail?: string | null }) {
  return (
    <Text size="sm" c="red">
      {detail ? `${reason} (${detail})` : reason}
    </Text>
  );
}

interface OutcomeViewProps {
  outcome: Outcome | undefined;
  shape: ValueShape;
  /** Shown while the job runs, e.g. "Reading…". */
  pendingText: string;
  /** Shown for a success without a value (a write or an action), e.g. "Written". */
  doneText?: string;
}

/** One item's latest outcome on a page: a spinner while the meter works, then the value or the reason. */
export function OutcomeView({ outcome, shape, pendingText, doneText }: OutcomeViewProps) {
  if (!outcome) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (outcome.state === 'pending') {
    return (
      <Group gap="xs" wrap="nowrap">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          {pendingText}
        </Text>
      </Group>
    );
  }
  if (outcome.state === 'failed') return <FailureText reason={outcome.reason} detail={outcome.detail} />;
  if (outcome.value === null || outcome.value === undefined) {
    return (
      <Text size="sm" c={doneText ? 'green' : 'dimmed'}>
        {doneText ?? 'No value'}
      </Text>
    );
  }
  return <ValueView value={outcome.value} shape={shape} />;
}

/** When an outcome was reported, or a dash. */
export const outcomeTime = (outcome: Outcome | undefined) =>
  outcome && outcome.state !== 'pending' ? formatReadTime(outcome.at) : '—';
