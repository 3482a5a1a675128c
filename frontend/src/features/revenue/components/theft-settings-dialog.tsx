import { Alert, Button, Group, Modal, NativeSelect, NumberInput, Skeleton, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { FormError } from '@/components/ui/form-error';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { usePutTheftSettings, useTheftSettings, type TheftSettings } from '@/features/revenue/api/theft';

const percent = (label: string) =>
  z
    .union([z.number(), z.string()])
    .refine((value) => String(value).trim() !== '', `${label} is required`)
    .pipe(
      z.coerce
        .number<number | string>({ error: `${label} must be a number` })
        .gt(0, `${label} must be above 0 and below 100`)
        .lt(100, `${label} must be above 0 and below 100`),
    );

const settingsSchema = z.object({
  drop_pct: percent('Consumption drop'),
  area_ratio_pct: percent('Share of the area average'),
  alert_min_risk: z.enum(['high', 'medium']),
});
type SettingsValues = z.input<typeof settingsSchema>;
const FIELDS = Object.keys(settingsSchema.shape);

function SettingsForm({ settings, onDone }: { settings: TheftSettings; onDone: () => void }) {
  const save = usePutTheftSettings();
  const form = useForm<SettingsValues>({ initialValues: { ...settings }, validate: zodValidate(settingsSchema) });
  const submit = form.onSubmit((values) =>
    save.mutate(settingsSchema.parse(values), {
      onSuccess: () => {
        notifySuccess('Detection settings saved; the next run uses them.');
        onDone();
      },
      onError: (error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <NumberInput
          label="Consumption drop (%)"
          description="Rule: this month's daily average fell more than this % below last month's"
          required
          min={1}
          max={99}
          clampBehavior="none"
          {...form.getInputProps('drop_pct')}
        />
        <NumberInput
          label="Share of the area average (%)"
          description="Rule: a meter below this % of the average of its area's meters of the same type"
          required
          min={1}
          max={99}
          clampBehavior="none"
          {...form.getInputProps('area_ratio_pct')}
        />
        <NativeSelect
          label="Alert on model risk"
          description="The model's risk that raises an Investigation alert on its own (rule hits always do)"
          data={[
            { value: 'high', label: 'High only' },
            { value: 'medium', label: 'Medium and high' },
          ]}
          {...form.getInputProps('alert_min_risk')}
        />
        <FormError error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The theft rules' thresholds, for admins. */
export function TheftSettingsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const settings = useTheftSettings(opened);
  return (
    <Modal opened={opened} onClose={onClose} title="Detection settings" centered>
      {settings.isPending ? <Skeleton height={240} radius="sm" /> : null}
      {settings.isError ? (
        <Alert color="red" title="The settings could not be loaded">
          {errorMessage(settings.error)}
        </Alert>
      ) : null}
      {settings.data ? <SettingsForm settings={settings.data} onDone={onClose} /> : null}
    </Modal>
  );
}
