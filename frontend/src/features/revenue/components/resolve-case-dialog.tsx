import { Button, Checkbox, Group, Modal, NativeSelect, Stack, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { plural } from '@/lib/format';
import { useUpdateCase, type CaseDetail } from '@/features/revenue/api/cases';
import { CaseError } from '@/features/revenue/components/case-error';
import { OUTCOMES, OUTCOME_VALUES, outcomeLabel } from '@/features/revenue/utils/labels';

const resolveSchema = z.object({
  outcome: z.enum(OUTCOME_VALUES, { error: 'Choose the outcome of the visit' }),
  note: z
    .string()
    .trim()
    .max(4000, 'Use at most 4000 characters')
    .transform((value) => value || null),
  acknowledge_alerts: z.boolean(),
});
type ResolveValues = z.input<typeof resolveSchema>;

function ResolveForm({ detail, onDone }: { detail: CaseDetail; onDone: () => void }) {
  const update = useUpdateCase();
  const linked = detail.alert_ids.length;
  const form = useForm<ResolveValues>({
    initialValues: { outcome: '' as ResolveValues['outcome'], note: '', acknowledge_alerts: true },
    validate: zodValidate(resolveSchema),
  });
  const submit = form.onSubmit((values) => {
    const body = resolveSchema.parse(values);
    update.mutate(
      { id: detail.id, body: { status: 'resolved', ...body, acknowledge_alerts: body.acknowledge_alerts && linked > 0 } },
      {
        onSuccess: (resolved) => {
          notifySuccess(`Case ${resolved.id} resolved: ${outcomeLabel(resolved.outcome)}.`);
          onDone();
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <NativeSelect
          label="Outcome"
          description="What the field visit found; it teaches the theft model"
          required
          data={[{ value: '', label: 'Choose…', disabled: true }, ...OUTCOMES]}
          {...form.getInputProps('outcome')}
        />
        <Textarea label="Note" autosize minRows={2} {...form.getInputProps('note')} />
        <Checkbox
          label="Acknowledge the linked alerts"
          description={linked > 0 ? `${plural(linked, 'alert is', 'alerts are')} linked to this case` : 'No alert is linked to this case'}
          disabled={linked === 0}
          {...form.getInputProps('acknowledge_alerts', { type: 'checkbox' })}
        />
        <CaseError error={update.error} title="Not resolved" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Resolve
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Resolving needs the visit's outcome; the linked alerts are acknowledged with it unless unticked. */
export function ResolveCaseDialog({ detail, opened, onClose }: { detail: CaseDetail; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Resolve case" centered>
      <ResolveForm detail={detail} onDone={onClose} />
    </Modal>
  );
}
