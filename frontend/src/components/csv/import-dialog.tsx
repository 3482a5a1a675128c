import { Alert, Button, Group, Input, Loader, Modal, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { UseMutationResult } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { ImportErrorsTable, ImportReportView } from '@/components/csv/import-report';
import { ApiError } from '@/lib/api-client';
import { useDownload, type ImportReport, type ImportVariables } from '@/lib/csv';
import { plural } from '@/lib/format';
import { errorMessage, notifySuccess } from '@/lib/notify';

export interface ImportDialogProps {
  opened: boolean;
  onClose: () => void;
  noun: { one: string; many: string };
  mutation: UseMutationResult<ImportReport, Error, ImportVariables>;
  /** Saves the file's template (header row and an example row). */
  downloadTemplate: () => Promise<void>;
  /** The dialog's title; "Import meters from CSV" by default. */
  title?: string;
  /** Said before the file is picked, e.g. that the import replaces a whole list. */
  notice?: ReactNode;
}

/** Pick a file → dry run → report → commit. Nothing is written until the user confirms a clean report. */
export function ImportDialog({ opened, onClose, noun, mutation, downloadTemplate, title, notice }: ImportDialogProps) {
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const template = useDownload(downloadTemplate);

  const reset = () => {
    setFile(null);
    setReport(null);
    mutation.reset();
  };
  const close = () => {
    reset();
    onClose();
  };
  const check = (picked: File) => {
    reset();
    setFile(picked);
    mutation.mutate({ file: picked, dryRun: true }, { onSuccess: setReport });
  };
  const commit = (picked: File) =>
    mutation.mutate(
      { file: picked, dryRun: false },
      {
        onSuccess: (result) => {
          notifySuccess(`Imported ${plural(result.created, noun.one, noun.many)}.`);
          close();
        },
      },
    );

  const checking = mutation.isPending && mutation.variables.dryRun;
  const committing = mutation.isPending && !mutation.variables.dryRun;
  const failure = mutation.error;
  const importable = report && report.errors.length === 0 && report.valid_rows > 0 ? report.valid_rows : 0;

  return (
    <Modal opened={opened} onClose={close} title={title ?? `Import ${noun.many} from CSV`} size="xl">
      <Stack>
        {notice ? (
          <Alert color="yellow" variant="light">
            {notice}
          </Alert>
        ) : null}
        <Group align="flex-end" justify="space-between">
          <Input.Wrapper label="CSV file" description="UTF-8 with a header row, at most 5 MiB" id={inputId}>
            <Input
              id={inputId}
              type="file"
              accept=".csv,text/csv"
              onChange={(event) => {
                const picked = event.currentTarget.files?.[0];
                // Cleared so that picking the same file again, once fixed, runs a new check.
                event.currentTarget.value = '';
                if (picked) check(picked);
              }}
            />
          </Input.Wrapper>
          <Button
            variant="subtle"
            leftSection={<IconDownload size={16} />}
            loading={template.isPending}
            onClick={() => template.mutate()}
          >
            Download template
          </Button>
        </Group>
        {file ? (
          <Group gap="xs" mih={24}>
            {checking ? <Loader size="xs" /> : null}
            <Text size="sm" c="dimmed">
              {checking ? `Checking ${file.name}…` : `File: ${file.name}`}
            </Text>
          </Group>
        ) : null}
        {failure ? (
          <Alert color="red" title={report ? 'Nothing was imported' : 'The file could not be checked'}>
            <Stack gap="xs">
              <Text size="sm">{errorMessage(failure)}</Text>
              {failure instanceof ApiError && failure.details.length ? (
                <ImportErrorsTable errors={failure.details} />
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        {report ? <ImportReportView report={report} /> : null}
        {report?.errors.length ? (
          <Text size="sm" c="red">
            Fix these rows in the file and pick it again: an import with any bad row writes nothing.
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button disabled={!importable || !file} loading={committing} onClick={() => file && commit(file)}>
            {importable ? `Import ${plural(importable, noun.one, noun.many)}` : `Import ${noun.many}`}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
