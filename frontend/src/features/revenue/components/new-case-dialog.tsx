import { Button, Group, Modal, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { serverFieldErrors, zodValidate } from '@/lib/form';
import { notifySuccess } from '@/lib/notify';
import { identifier, optionalText } from '@/lib/validators';
import { useAssignees, useOpenCase } from '@/features/revenue/api/cases';
import { CaseError } from '@/features/revenue/components/case-error';
import { caseLink } from '@/features/revenue/utils/labels';

const caseSchema = z.object({
  meter_number: identifier('Meter number'),
  title: optionalText.pipe(z.string().max(200, 'Use at most 200 characters').nullable()),
  assignee: optionalText,
  note: optionalText.pipe(z.string().max(4000, 'Use at most 4000 characters').nullable()),
});
type CaseValues = z.input<typeof caseSchema>;
const FIELDS = Object.keys(caseSchema.shape);

function NewCaseForm({ onDone }: { onDone: () => void }) {
  const open = useOpenCase();
  const assignees = useAssignees();
  const navigate = useNavigate();
  const form = useForm<CaseValues>({
    initialValues: { meter_number: '', title: '', assignee: '', note: '' },
    validate: zodValidate(caseSchema),
  });
  const submit = form.onSubmit((values) =>
    open.mutate(caseSchema.parse(values), {
      onSuccess: (opened) => {
        notifySuccess(`Case ${opened.id} opened on meter ${opened.meter_number}.`);
        onDone();
        void navigate(caseLink(opened.id));
      },
      onError: (error) => form.setErrors(serverFieldErrors(error, FIELDS)),
    }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Meter number" required data-autofocus {...form.getInputProps('meter_number')} />
        <TextInput label="Title" description="Optional: by default the strongest reason" {...form.getInputProps('title')} />
        <NativeSelect
          label="Assignee"
          data={[
            { value: '', label: 'Unassigned' },
            ...(assignees.data ?? []).map((user) => ({ value: user.username, label: user.full_name ?? user.username })),
          ]}
          {...form.getInputProps('assignee')}
        />
        <Textarea label="Note" autosize minRows={2} {...form.getInputProps('note')} />
        <CaseError error={open.error} title="No case opened" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={open.isPending}>
            Open case
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Opens a case on a meter by hand; the evidence (its latest score, consumption and events) is captured now. */
export function NewCaseDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New case">
      <NewCaseForm onDone={onClose} />
    </Modal>
  );
}
