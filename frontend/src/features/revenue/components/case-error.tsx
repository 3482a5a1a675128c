import { Alert, Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { errorMessage } from '@/lib/notify';
import { caseLink, existingCaseId } from '@/features/revenue/utils/labels';

/** Why a case could not be opened or changed; when the meter already has an open case, a link to it. */
export function CaseError({ error, title = 'Not possible' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const existing = existingCaseId(error);
  return (
    <Alert color="red" title={title}>
      {errorMessage(error)}
      {existing ? (
        <>
          {' '}
          <Anchor component={Link} to={caseLink(existing)} size="sm">
            Go to case {existing}
          </Anchor>
        </>
      ) : null}
    </Alert>
  );
}
