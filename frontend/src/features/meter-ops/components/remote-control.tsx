import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconPlugConnected, IconPlugConnectedX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { usePermissions } from '@/lib/authorization';
import {
  meterOpsQueryKey,
  meterStatusQueryOptions,
  useMeterStatus,
  type MeterStatus,
} from '@/features/meter-ops/api/get-meter-ops';
import { useJob, type ItemResult, type Job } from '@/features/meter-ops/api/jobs';
import { useSwitchRelay, type RelayAction } from '@/features/meter-ops/api/remote';
import { MeterOpsPage } from '@/features/meter-ops/components/meter-picker';
import { OnlineBadge, RelayBadge } from '@/features/meter-ops/components/online-status';
import { FailureText } from '@/features/meter-ops/components/value-view';
import { useOnJobEnd } from '@/features/meter-ops/hooks/use-meter-jobs';
import { formatReadTime, formatValue, RELAY_OBIS } from '@/features/meter-ops/utils/values';

const ACTIONS: Record<RelayAction, { verb: string; doing: string; done: string }> = {
  disconnect: { verb: 'Disconnect', doing: 'Disconnecting', done: 'Disconnect done' },
  reconnect: { verb: 'Reconnect', doing: 'Reconnecting', done: 'Reconnect done' },
};

const readBack = (items: ItemResult[], index: number) =>
  items.find((item) => item.op === 'get' && item.obis === RELAY_OBIS && item.index === index);

function RelayResult({ meterNumber, action, job }: { meterNumber: string; action: RelayAction; job: Job | undefined }) {
  const words = ACTIONS[action];
  if (!job || job.status === 'running') {
    return (
      <Alert color="blue" variant="light" icon={<Loader size="xs" />} title={`${words.doing} meter ${meterNumber}…`}>
        Waiting for the meter to answer.
      </Alert>
    );
  }
  const items = job.results.find((result) => result.meter_number === meterNumber)?.items ?? [];
  const command = items.find((item) => item.op === 'action');
  if (!command) {
    return (
      <Alert color="red" title={`${words.verb} failed`}>
        <FailureText reason="timed out" detail="the meter did not answer in time" />
      </Alert>
    );
  }
  const output = readBack(items, 2);
  const control = readBack(items, 3);
  const readBackText = [output, control]
    .filter((item): item is ItemResult => Boolean(item?.ok))
    .map((item) => `${item.name ?? `attribute ${item.index}`}: ${formatValue(item.value, item)}`)
    .join(' · ');
  return (
    <Alert color={command.ok ? 'green' : 'red'} title={command.ok ? words.done : `${words.verb} failed`}>
      <Stack gap={4}>
        {command.ok ? null : <FailureText reason={command.reason ?? 'failed'} detail={command.detail} />}
        {readBackText ? <Text size="sm">Read back: {readBackText}</Text> : null}
        <Text size="xs" c="dimmed">
          {formatReadTime(command.at)}
        </Text>
      </Stack>
    </Alert>
  );
}

function RelayPanel({ meterNumber }: { meterNumber: string }) {
  const canExecute = usePermissions().can('commands:execute');
  const queryClient = useQueryClient();
  const status = useMeterStatus(meterNumber);
  const relay = useSwitchRelay();
  const [confirming, setConfirming] = useState<RelayAction | null>(null);
  const [running, setRunning] = useState<{ action: RelayAction; jobId: string } | null>(null);
  const job = useJob(running?.jobId ?? null);

  useOnJobEnd(job.data, (ended) => {
    // The read-back is the meter's own answer: show it at once, then confirm with the server.
    const output = readBack(ended.results.find((result) => result.meter_number === meterNumber)?.items ?? [], 2);
    if (output?.ok && typeof output.value === 'boolean') {
      const relayState = output.value ? 'connected' : 'disconnected';
      queryClient.setQueryData<MeterStatus>(meterStatusQueryOptions(meterNumber).queryKey, (current) =>
        current ? { ...current, relay_state: relayState } : current,
      );
    }
    setTimeout(() => void queryClient.invalidateQueries({ queryKey: [...meterOpsQueryKey, 'status', meterNumber] }), 1000);
  });

  const confirm = () => {
    if (!confirming) return;
    const action = confirming;
    relay.mutate(
      { meterNumber, action },
      {
        onSuccess: ({ id }) => {
          setRunning({ action, jobId: id });
          setConfirming(null);
        },
      },
    );
  };

  const busy = relay.isPending || (running !== null && (!job.data || job.data.status === 'running'));
  const online = status.data?.online;

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="relay-title">
      <Stack>
        <Title order={4} id="relay-title">
          Relay
        </Title>
        <Group gap="xs">
          {online === undefined ? null : <OnlineBadge online={online} />}
          {status.data ? <RelayBadge state={status.data.relay_state} /> : <Loader size="xs" />}
        </Group>
        {canExecute ? (
          <>
            {online === false ? (
              <Text size="sm" c="dimmed">
                The meter is offline: the head end dials its SIM for the command, which takes longer and may fail.
              </Text>
            ) : null}
            <Group gap="sm">
              <Button
                color="red"
                leftSection={<IconPlugConnectedX size={16} />}
                disabled={busy}
                onClick={() => setConfirming('disconnect')}
              >
                Disconnect
              </Button>
              <Button
                color="green"
                leftSection={<IconPlugConnected size={16} />}
                disabled={busy}
                onClick={() => setConfirming('reconnect')}
              >
                Reconnect
              </Button>
            </Group>
            {running ? <RelayResult meterNumber={meterNumber} action={running.action} job={job.data} /> : null}
          </>
        ) : (
          <Alert color="gray" variant="light">
            Your role can see the relay state but not switch it.
          </Alert>
        )}
      </Stack>
      {canExecute ? (
        <ConfirmDialog
          opened={confirming !== null}
          title={confirming ? `${ACTIONS[confirming].verb} meter ${meterNumber}?` : ''}
          confirmLabel="Confirm"
          loading={relay.isPending}
          error={relay.error}
          onConfirm={confirm}
          onClose={() => {
            relay.reset();
            setConfirming(null);
          }}
        >
          {confirming === 'disconnect'
            ? 'The customer loses supply until the meter is reconnected.'
            : 'Supply is restored to the customer.'}
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}

/** Remote control: the relay of one meter, switched with a confirmation and read back. */
export function RemoteControl() {
  return <MeterOpsPage title="Remote control">{(meterNumber) => <RelayPanel meterNumber={meterNumber} />}</MeterOpsPage>;
}
