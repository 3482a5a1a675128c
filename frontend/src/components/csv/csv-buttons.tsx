import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDownload, IconUpload } from '@tabler/icons-react';
import { ImportDialog, type ImportDialogProps } from '@/components/csv/import-dialog';
import { downloadTemplate, useDownload, type CsvResource } from '@/lib/csv';

type ImportButtonProps = Omit<ImportDialogProps, 'opened' | 'onClose' | 'downloadTemplate'> & {
  /** The button's text; "Import CSV" by default. */
  label?: string;
} & ({ resource: CsvResource } | { downloadTemplate: () => Promise<void> });

/** A button opening the import dialog: for a CSV resource (its template), or any import with its own template. */
export function ImportCsvButton({ label = 'Import CSV', ...props }: ImportButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const template = 'resource' in props ? () => downloadTemplate(props.resource) : props.downloadTemplate;
  return (
    <>
      <Button variant="default" leftSection={<IconUpload size={16} />} onClick={open}>
        {label}
      </Button>
      <ImportDialog
        opened={opened}
        onClose={close}
        noun={props.noun}
        mutation={props.mutation}
        title={props.title}
        notice={props.notice}
        downloadTemplate={template}
      />
    </>
  );
}

export function ExportCsvButton({ onExport }: { onExport: () => Promise<void> }) {
  const download = useDownload(onExport);
  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} />}
      loading={download.isPending}
      onClick={() => download.mutate()}
    >
      Export CSV
    </Button>
  );
}
