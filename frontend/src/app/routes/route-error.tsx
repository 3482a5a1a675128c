import { Alert, Button, Center } from '@mantine/core';
import { useRouteError } from 'react-router';
import { errorMessage } from '@/lib/notify';

/** Last resort for errors thrown while rendering, e.g. a page's code that failed to load after a deploy. */
export function RouteError() {
  const error = useRouteError();
  return (
    <Center mih="60dvh" p="md">
      <Alert color="red" title="Something went wrong" maw={480}>
        {errorMessage(error)}
        <Button display="block" mt="sm" variant="light" onClick={() => window.location.reload()}>
          Reload the page
        </Button>
      </Alert>
    </Center>
  );
}
