import { Alert, Button, Center } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { paths } from '@/config/paths';
import { FullPageLoader } from '@/components/ui/full-page-loader';
import { useUser } from '@/lib/auth';
import { permissionsFor, type Permission } from '@/lib/authorization';

export function RequireAuth() {
  const { data: user, isPending, isError, refetch } = useUser();
  const location = useLocation();
  if (isPending) return <FullPageLoader />;
  if (isError && user === undefined) {
    return (
      <Center mih="60dvh" p="md">
        <Alert color="red" title="The server cannot be reached">
          <Button mt="sm" variant="light" onClick={() => void refetch()}>
            Try again
          </Button>
        </Alert>
      </Center>
    );
  }
  if (!user) {
    const redirectTo = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`${paths.login}?redirectTo=${redirectTo}`} replace />;
  }
  return <Outlet />;
}

/** Until a forced password change is done, the change-password page is the only one reachable. */
export function RequirePasswordChanged() {
  const user = useUser().data;
  return user?.must_change_password ? <Navigate to={paths.changePassword} replace /> : <Outlet />;
}

/**
 * Staff pages need their read permission; the customer's own pages are for customers only, and
 * customers see nothing else (the API answers them 403 on every staff route).
 */
export function RequireAccess({ permission, customer = false }: { permission?: Permission; customer?: boolean }) {
  const { can, isCustomer } = permissionsFor(useUser().data);
  const allowed = isCustomer === customer && (!permission || can(permission));
  return allowed ? <Outlet /> : <Navigate to={paths.home} replace />;
}

/** The start page: customers their meters, staff who may read reports the dashboard, others the meters. */
export function HomeRedirect() {
  const { can, isCustomer } = permissionsFor(useUser().data);
  const home = isCustomer ? paths.myMeters : can('reports:read') ? paths.dashboard : paths.meters;
  return <Navigate to={home} replace />;
}
