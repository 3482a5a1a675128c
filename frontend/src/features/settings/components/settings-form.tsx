import { ActionIcon, Alert, Button, Card, Code, CopyButton, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { FullPageLoader } from '@/components/ui/full-page-loader';
import { PageHeader } from '@/components/ui/page-header';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { hostAddress, wholeNumber } from '@/lib/validators';
import { useSettings, useUpdateSettings, type SystemSettings } from '@/features/settings/api/settings';

const settingsSchema = z.object({
  listener_host: hostAddress('Listener host').pipe(z.string().max(253, 'Use at most 253 characters')),
  listener_port: wholeNumber('Listener port', 1, 65535),
  online_window_s: wholeNumber('Online window', 30, 86_400, 's'),
  push_interval_s: wholeNumber('Push interval', 10, 86_400, 's'),
});
type SettingsValues = z.input<typeof settingsSchema>;
const FIELDS = Object.keys(settingsSchema.shape);

/** 900 → "900 s is 15 min", 5400 → "5400 s is 1 h 30 min": the seconds fields read easier with it. */
function duration(seconds: number | string) {
  const total = Number(seconds);
  if (!Number.isInteger(total) || total < 60) return null;
  const parts = [
    [Math.floor(total / 3600), 'h'],
    [Math.floor((total % 3600) / 60), 'min'],
    [total % 60, 's'],
  ] as const;
  const readable = parts
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
  return `${total} s is ${readable}`;
}

/** IPv6 addresses take brackets before a port. */
const dialAddress = ({ listener_host: host, listener_port: port }: SystemSettings) =>
  `${host.includes(':') ? `[${host}]` : host}:${port}`;

function ListenerAddress({ settings }: { settings: SystemSettings }) {
  const address = dialAddress(settings);
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="listener-address-title">
      <Stack gap="sm">
        <Title order={3} id="listener-address-title">
          Where meters dial
        </Title>
        <Text size="sm">
          Meters connect to HES Core, not the other way round: each meter (or its modem) must be configured to open
          its TCP connection to this address. Changing the address here does not reconfigure any meter; meters set
          to the old address stop reaching the system until they are changed too.
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Code fz={28} fw={700} px="md" py="xs" aria-label="Listener address" style={{ wordBreak: 'break-all' }}>
            {address}
          </Code>
          <CopyButton value={address}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy'}>
                <ActionIcon
                  variant="subtle"
                  size="xl"
                  color={copied ? 'green' : undefined}
                  aria-label="Copy listener address"
                  onClick={copy}
                >
                  {copied ? <IconCheck size={22} /> : <IconCopy size={22} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Card>
  );
}

function SettingsForm({ settings }: { settings: SystemSettings }) {
  const update = useUpdateSettings();
  const form = useForm<SettingsValues>({
    initialValues: { ...settings },
    validate: zodValidate(settingsSchema),
  });

  const submit = form.onSubmit((values) => {
    update.mutate(settingsSchema.parse(values), {
      onSuccess: (saved) => {
        notifySuccess('Settings saved.');
        form.setValues(saved);
        form.resetDirty(saved);
      },
      onError: (error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    });
  });

  const online = duration(form.values.online_window_s);
  const push = duration(form.values.push_interval_s);
  return (
    <Card withBorder padding="lg" component="form" onSubmit={submit} noValidate aria-label="System settings">
      <Stack>
        <Title order={3}>Listener and liveness</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Listener host"
            description="The public IP address or DNS name meters dial"
            required
            {...form.getInputProps('listener_host')}
          />
          <NumberInput
            label="Listener port"
            description="TCP port, 1–65535 (DLMS/COSEM over TCP uses 4059)"
            required
            min={1}
            max={65535}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            {...form.getInputProps('listener_port')}
          />
          <NumberInput
            label="Online window (s)"
            description={`A meter heard from within this window counts as online; 30–86400 s${online ? `; ${online}` : ''}`}
            required
            min={30}
            max={86_400}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            {...form.getInputProps('online_window_s')}
          />
          <NumberInput
            label="Push interval (s)"
            description={`How often meters are asked to push their readings; 10–86400 s${push ? `; ${push}` : ''}`}
            required
            min={10}
            max={86_400}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            {...form.getInputProps('push_interval_s')}
          />
        </SimpleGrid>
        <FormError error={update.error} />
        <Group justify="flex-end">
          <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
            Discard changes
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function SettingsPage() {
  const settings = useSettings();
  return (
    <Stack>
      <PageHeader title="Settings" />
      {settings.isPending ? <FullPageLoader /> : null}
      {settings.isError ? (
        <Alert color="red" title="The settings could not be loaded">
          {errorMessage(settings.error)}
        </Alert>
      ) : null}
      {settings.data ? (
        <>
          <ListenerAddress settings={settings.data} />
          <SettingsForm settings={settings.data} />
        </>
      ) : null}
    </Stack>
  );
}
