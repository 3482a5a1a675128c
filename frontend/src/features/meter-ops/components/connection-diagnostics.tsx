import { Alert, Button, Card, Code, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '@/lib/notify';
import { formatDateTime } from '@/lib/format';
import { useJob } from '@/features/meter-ops/api/jobs';
import { useDiagnoseConnection } from '@/features/meter-ops/api/remote';

type Diagnostics = { peer?: string; opened_at?: string; last_frame_at?: string; frames?: [string, string][] };

/** The meter's live socket as the edge listener sees it, with the last frames in hex, for diagnosis. */
export function ConnectionDiagnostics({ meterNumber }: { meterNumber: string }) {
  const diagnose = useDiagnoseConnection();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const item = job.data?.results[0]?.items[0];
  const info = item?.ok ? (item.value as Diagnostics) : null;
  const running = diagnose.isPending || job.data?.status === 'running';

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="connection-title">
      <Stack>
        <Group justify="space-between" gap="xs">
          <Stack gap={0}>
            <Title order={4} id="connection-title">
              Connection
            </Title>
            <Text size="sm" c="dimmed">
              The edge listener&apos;s view of this meter&apos;s socket and its last frames (no command is sent to the meter).
            </Text>
          </Stack>
          <Button
            variant="default"
            leftSection={<IconPlugConnected size={16} />}
            loading={running}
            onClick={() => diagnose.mutate(meterNumber, { onSuccess: (accepted) => setJobId(accepted.id) })}
          >
            Show last frames
          </Button>
        </Group>
        {diagnose.isError ? <Alert color="red">{errorMessage(diagnose.error)}</Alert> : null}
        {item && !item.ok ? <Alert color="yellow">{item.detail ?? item.reason ?? 'No answer'}</Alert> : null}
        {info ? (
          <>
            <Text size="sm">
              Peer <Code>{info.peer}</Code> · open since {info.opened_at ? formatDateTime(info.opened_at) : '—'} · last frame{' '}
              {info.last_frame_at ? formatDateTime(info.last_frame_at) : '—'}
            </Text>
            <ScrollArea.Autosize mah={320}>
              <Table aria-label="Last frames" verticalSpacing={4} fz="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>Direction</Table.Th>
                    <Table.Th>APDU (hex)</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(info.frames ?? []).map(([direction, hex], index) => (
                    <Table.Tr key={index}>
                      <Table.Td>{direction === 'in' ? 'meter →' : '→ meter'}</Table.Td>
                      <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {hex}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </>
        ) : null}
      </Stack>
    </Card>
  );
}
