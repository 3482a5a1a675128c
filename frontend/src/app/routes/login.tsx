import { Navigate, useSearchParams } from 'react-router';
import { paths } from '@/config/paths';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { FullPageLoader } from '@/components/ui/full-page-loader';
import { useUser } from '@/lib/auth';
import { LoginForm } from '@/features/auth/components/login-form';

/** Only paths inside the app: an open redirect would let a link send the user elsewhere. */
function safeRedirect(target: string | null) {
  return target?.startsWith('/') && !target.startsWith('//') && !target.startsWith(paths.login) ? target : paths.home;
}

export function Component() {
  const { data: user, isPending } = useUser();
  const [params] = useSearchParams();
  if (isPending) return <FullPageLoader />;
  if (user) {
    return <Navigate to={user.must_change_password ? paths.changePassword : safeRedirect(params.get('redirectTo'))} replace />;
  }
  return (
    <AuthLayout title="Log in">
      <LoginForm />
    </AuthLayout>
  );
}
