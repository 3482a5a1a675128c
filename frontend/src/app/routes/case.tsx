import { useParams } from 'react-router';
import { CasePage } from '@/features/revenue/components/case-page';

export function Component() {
  const { id = '' } = useParams();
  // Keyed: another case starts with fresh drafts and dialogs.
  return <CasePage key={id} id={id} />;
}
