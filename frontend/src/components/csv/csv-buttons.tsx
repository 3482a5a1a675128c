import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDownload, IconUpload } from '@tabler/icons-react';
import { ImportDialog, type ImportDialogProps } from '@/components/csv/import-dialog';
import { useDownload } from '@/lib/csv';

export function ImportCsvButton(props: Omit<ImportDialogProps, 'opened' | 'onClose'>) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button variant="default" leftSection={<IconUpload size={16} />} onClick={open}>
        Import CSV
      </Button>
      <ImportDialog opened={opened} onClose={close} {...props} />
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
