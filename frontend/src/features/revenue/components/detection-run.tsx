import { Alert, Card, Group, Loader, Progress, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { formatDateTime, plural } from '@/lib/format';
import { notifySuccess } from '@/lib/notify';
import { theftQueryKey } from '@/features/revenue/api/keys';
import { isRunning, useLastTheftRun, useStartTheftRun, useTheftRun, type TheftRun } from '@/features/revenue/api/theft';
import { CaseError } from '@/features/revenue/components/case-error';

/**
 * Calls `onEnd` once for each run that ends (done or failed) after it was seen queued or running, or
 * after `watch` was called with its id (a run started here may be done before it is first asked for).
 */
function useOnRunEnd(run: TheftRun | null, onEnd: (run: TheftRun) => void) {
  const watched = useRef(new Set<string>());
  const fire = useEffectEvent(onEnd);
  const id = run?.id;
  const running = isRunning(run ?? undefined);
  const ended = run && !running ? run : undefined;
  useEffect(() => {
    if (id && running) watched.current.add(id);
  }, [id, running]);
  useEffect(() => {
    if (ended && watched.current.delete(ended.id)) fire(ended);
  }, [ended]);
  return (runId: string) => watched.current.add(runId);
}

const counts = (run: TheftRun) =>
  `${plural(run.meters_scored ?? 0, 'meter', 'meters')} scored: ${run.high ?? 0} high, ${run.medium ?? 0} medium, ` +
  `${plural(run.alerts_raised ?? 0, 'alert', 'alerts')} raised`;

/**
 * The run started from this page (polled until done or failed) or else the newest run of anyone's;
 * when a run ends the scores are asked again.
 */
export function useDetectionRun() {
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const start = useStartTheftRun();
  const tracked = useTheftRun(runId);
  const last = useLastTheftRun();
  const run = runId ? (tracked.data ?? null) : (last.data ?? null);

  const watch = useOnRunEnd(run, (ended) => {
    if (ended.status === 'done' && ended.id === runId) notifySuccess(`Detection done: ${counts(ended)}.`);
    void queryClient.invalidateQueries({ queryKey: theftQueryKey });
  });

  return {
    run,
    running: start.isPending || isRunning(run ?? undefined) || (runId !== null && !tracked.data),
    startError: start.error,
    start: (area: string) =>
      start.mutate(
        { area },
        {
          onSuccess: (accepted) => {
            watch(accepted.id);
            setRunId(accepted.id);
          },
        },
      ),
  };
}

/** Where the latest detection run stands: its progress while it works, then what it found or why it failed. */
export function DetectionRunStatus({ run, startError }: { run: TheftRun | null; startError: unknown }) {
  if (startError) return <CaseError error={startError} title="Detection could not start" />;
  if (!run) return null;
  const scope = run.area_id ? 'one area' : 'all areas';
  if (isRunning(run)) {
    return (
      <Card withBorder padding="md" component="section" aria-label="Detection run">
        <Stack gap="xs">
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" fw={500} aria-live="polite">
              {run.status === 'queued' ? 'Detection queued' : 'Scoring meters'} for {run.as_of}, {scope}…
            </Text>
          </Group>
          <Progress value={run.status === 'queued' ? 15 : 60} animated striped aria-label="Detection progress" />
        </Stack>
      </Card>
    );
  }
  if (run.status === 'failed') {
    return (
      <Alert color="red" title={`The detection run for ${run.as_of} failed`}>
        {run.error ?? 'No reason was given.'}
      </Alert>
    );
  }
  return (
    <Text size="sm" c="dimmed" aria-label="Last detection run">
      Last run {formatDateTime(run.finished_at ?? run.created_at)} ({run.trigger === 'schedule' ? 'daily schedule' : `by ${run.requested_by ?? 'someone'}`}),
      for {run.as_of}, {scope}: {counts(run)}.
    </Text>
  );
}
