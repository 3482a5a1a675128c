import { Button, Popover, type ButtonProps } from '@mantine/core';
import { IconFolderPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { notifySuccess } from '@/lib/notify';
import { useOpenCase, type CaseCreate } from '@/features/revenue/api/cases';
import { CaseError } from '@/features/revenue/components/case-error';
import { caseLink } from '@/features/revenue/utils/labels';

interface OpenCaseButtonProps extends Pick<ButtonProps, 'size' | 'variant'> {
  /** The meter, or the alert the case is opened from. */
  body: CaseCreate;
  /** The accessible name when "Open case" alone would be ambiguous (one button per row). */
  label?: string;
}

/**
 * Opens a case at once (the server captures the evidence) and goes to it. A refusal shows beside the
 * button, with a link to the meter's open case when it has one.
 */
export function OpenCaseButton({ body, label, size, variant }: OpenCaseButtonProps) {
  const open = useOpenCase();
  const navigate = useNavigate();
  const start = () =>
    open.mutate(body, {
      onSuccess: (opened) => {
        notifySuccess(`Case ${opened.id} opened on meter ${opened.meter_number}.`);
        void navigate(caseLink(opened.id));
      },
    });
  return (
    <Popover
      opened={Boolean(open.error)}
      onChange={(opened) => opened || open.reset()}
      hideDetached={false}
      width={320}
      withArrow
      shadow="md"
    >
      <Popover.Target>
        <Button
          size={size}
          variant={variant}
          leftSection={<IconFolderPlus size={16} />}
          loading={open.isPending}
          aria-label={label}
          onClick={start}
        >
          Open case
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <CaseError error={open.error} title="No case opened" />
      </Popover.Dropdown>
    </Popover>
  );
}
