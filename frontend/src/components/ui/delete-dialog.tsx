import type { UseMutationResult } from '@tanstack/react-query';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { notifySuccess } from '@/lib/notify';

export interface DeleteTarget {
  id: string;
  name: string;
}

interface DeleteDialogProps {
  target: DeleteTarget | null;
  /** "meter", "area", … */
  noun: string;
  mutation: UseMutationResult<void, Error, string>;
  onClose: () => void;
}

/** Asks before deleting; a refusal (e.g. 409, the area still has meters) is shown in the dialog. */
export function DeleteDialog({ target, noun, mutation, onClose }: DeleteDialogProps) {
  const close = () => {
    mutation.reset();
    onClose();
  };
  const confirm = (item: DeleteTarget) =>
    mutation.mutate(item.id, {
      onSuccess: () => {
        notifySuccess(`Deleted ${noun} ${item.name}.`);
        close();
      },
    });

  return (
    <ConfirmDialog
      opened={target !== null}
      title={`Delete ${noun}`}
      loading={mutation.isPending}
      error={mutation.error}
      onConfirm={() => target && confirm(target)}
      onClose={close}
    >
      Delete {noun} {target?.name}? This cannot be undone.
    </ConfirmDialog>
  );
}
