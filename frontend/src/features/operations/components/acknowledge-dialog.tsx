import { Alert as MantineAlert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { plural } from '@/lib/format';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useAcknowledgeAlerts, type Alert } from '@/features/operations/api/alerts';
import { humanize } from '@/features/operations/utils/format';

interface AcknowledgeDialogProps {
  opened: boolean;
  /** The alerts to acknowledge; kept while the dialog closes, so that its text does not change. */
  alerts: Alert[];
  onClose: () => void;
  onDone: (ids: string[]) => void;
}

/** Asks for an optional note, then acknowledges all the alerts at once (the server takes all or none). */
export function AcknowledgeDialog({ opened, alerts, onClose, onDone }: AcknowledgeDialogProps) {
  const acknowledge = useAcknowledgeAlerts();
  const [note, setNote] = useState('');
  const count = alerts.length;
  const [only] = alerts;

  const close = () => {
    setNote('');
    acknowledge.reset();
    onClose();
  };
  const confirm = (targets: Alert[]) => {
    const ids = targets.map((alert) => alert.id);
    acknowledge.mutate(
      { ids, note: note.trim() || null },
      {
        onSuccess: (result) => {
          notifySuccess(`Acknowledged ${plural(result.acknowledged, 'alert', 'alerts')}.`);
          onDone(ids);
          close();
        },
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={count === 1 ? 'Acknowledge alert' : `Acknowledge ${count} alerts`}
      centered
    >
      <Stack>
        <Text size="sm">
          {count === 1 && only
            ? `${humanize(only.type)} on meter ${only.meter_number} leaves the inbox and is kept in the event log.`
            : `The ${count} selected alerts leave the inbox and are kept in the event log.`}
        </Text>
        <Textarea
          label="Note"
          description="Optional: what was done or found"
          autosize
          minRows={2}
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        {acknowledge.error ? (
          <MantineAlert color="red" title="Nothing was acknowledged">
            {errorMessage(acknowledge.error)}
          </MantineAlert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button loading={acknowledge.isPending} onClick={() => confirm(alerts)}>
            Acknowledge
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
