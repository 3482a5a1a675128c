import { Button } from '@mantine/core';
import { IconFileTypeCsv, IconFileTypePdf } from '@tabler/icons-react';
import { useDownload } from '@/lib/csv';
import type { ReportFormat } from '@/features/operations/api/reports';

/** "Download CSV" and "Download PDF" of what the page shows, with the page's filters. */
export function ReportDownloads({ onDownload, disabled }: { onDownload: (format: ReportFormat) => Promise<void>; disabled?: boolean }) {
  const csv = useDownload(() => onDownload('csv'));
  const pdf = useDownload(() => onDownload('pdf'));
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconFileTypeCsv size={16} />}
        loading={csv.isPending}
        disabled={disabled}
        onClick={() => csv.mutate()}
      >
        Download CSV
      </Button>
      <Button
        variant="default"
        leftSection={<IconFileTypePdf size={16} />}
        loading={pdf.isPending}
        disabled={disabled}
        onClick={() => pdf.mutate()}
      >
        Download PDF
      </Button>
    </>
  );
}
