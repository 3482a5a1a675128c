import { Alert, Button } from '@mantine/core';
import { useNavigate } from 'react-router';
import { paths } from '@/config/paths';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { useUser } from '@/lib/auth';
import { notifySuccess } from '@/lib/notify';
import { useLogout } from '@/features/auth/api/logout';
import { ChangePasswordForm } from '@/features/auth/components/change-password-form';

export function Component() {
  const forced = Boolean(useUser().data?.must_change_password);
  const navigate = useNavigate();
  const logout = useLogout();
  const done = () => {
    notifySuccess('Your password has been changed.');
    void navigate(paths.home, { replace: true });
  };

  return (
    <AuthLayout title="Change password">
      {forced ? (
        <Alert color="yellow" title="Password change required">
          Choose a new password before you continue.
        </Alert>
      ) : null}
      <ChangePasswordForm onSuccess={done} onCancel={forced ? undefined : () => void navigate(paths.home)} />
      {forced ? (
        <Button variant="subtle" color="gray" loading={logout.isPending} onClick={() => logout.mutate()}>
          Log out
        </Button>
      ) : null}
    </AuthLayout>
  );
}
