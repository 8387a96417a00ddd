import { Alert, Button, Center, Loader, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconLock } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthFrame } from '../../components/ui/auth-frame.tsx';
import { useSession } from '../../features/identity/api/get-session.ts';
import { useSetupStatus } from '../../features/identity/api/get-setup-status.ts';
import { useLogin } from '../../features/identity/api/login.ts';
import { isApiError } from '../../lib/api-client.ts';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Only same-site paths, so ?next= cannot send a user elsewhere after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function loginErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Sign-in failed. Please try again.';
  const { status, detail } = error.problem;
  if (detail) return detail;
  if (status === 401) return 'The e-mail address or password is not correct.';
  if (status === 423) return 'This account is locked after too many failed attempts. Try again later.';
  if (status === 429) return 'Too many sign-in attempts. Wait a moment and try again.';
  return 'Sign-in failed. Please try again.';
}

export function LoginPage() {
  useDocumentTitle('Sign in');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const session = useSession();
  const setup = useSetupStatus();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (session.data) return <Navigate to={next} replace />;
  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (setup.isPending || session.isPending) {
    return (
      <Center h="100vh" component="main">
        <Loader aria-label="Loading" />
      </Center>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };
  const locked = isApiError(login.error) && login.error.status === 423;

  return (
    <AuthFrame title="Sign in" subtitle="Use the e-mail address and password your administrator gave you.">
      <form onSubmit={submit} noValidate aria-label="Sign in">
        <Stack gap="sm">
          {login.isError && (
            <Alert
              color="red"
              variant="light"
              role="alert"
              icon={locked ? <IconLock size={18} aria-hidden /> : <IconAlertCircle size={18} aria-hidden />}
              py="xs"
            >
              {loginErrorMessage(login.error)}
            </Alert>
          )}
          <TextInput
            label="E-mail"
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" fullWidth mt="xs" loading={login.isPending} disabled={!email || !password}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
