import { Alert, Button, Center, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { AuthFrame } from '../../components/ui/auth-frame.tsx';
import { FormError } from '../../components/ui/form-error.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { useCompleteSetup } from '../../features/identity/api/complete-setup.ts';
import { useSetupStatus } from '../../features/identity/api/get-setup-status.ts';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

const minPassword = 12;

export function SetupPage() {
  useDocumentTitle('Set up Realign');
  const navigate = useNavigate();
  const status = useSetupStatus();
  const setup = useCompleteSetup();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);

  if (status.isPending) {
    return (
      <Center h="100vh" component="main">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (status.isError) {
    return (
      <Center h="100vh" p="md" component="main">
        <QueryError error={status.error} title="Realign is not reachable" onRetry={() => void status.refetch()} />
      </Center>
    );
  }
  if (!status.data.needsSetup && !setup.isSuccess) return <Navigate to="/login" replace />;

  const passwordError = touched && password.length < minPassword ? `Must be at least ${minPassword} characters` : undefined;
  const confirmError = touched && confirm !== password ? 'The passwords do not match' : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (password.length < minPassword || confirm !== password || !displayName.trim() || !email.trim()) return;
    setup.mutate({ displayName: displayName.trim(), email: email.trim(), password }, { onSuccess: () => void navigate('/', { replace: true }) });
  };

  return (
    <AuthFrame title="Set up Realign" subtitle="Nobody has signed in yet. Create the first administrator account; you can invite everyone else afterwards.">
      <form onSubmit={submit} noValidate aria-label="Create the first administrator">
        <Stack gap="sm">
          <FormError error={setup.error} />
          <TextInput
            label="Your name"
            name="displayName"
            autoComplete="name"
            required
            autoFocus
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={touched && !displayName.trim() ? 'Enter your name' : undefined}
          />
          <TextInput
            label="E-mail"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={touched && !email.trim() ? 'Enter your e-mail address' : undefined}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="new-password"
            required
            description={`At least ${minPassword} characters`}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={passwordError}
          />
          <PasswordInput
            label="Confirm password"
            name="confirm"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={confirmError}
          />
          <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} aria-hidden />} py="xs" role="note">
            <Text fz="xs">This account gets the Administrator role and can manage users, partners and API tokens.</Text>
          </Alert>
          <Button type="submit" fullWidth loading={setup.isPending}>
            Create administrator and sign in
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
