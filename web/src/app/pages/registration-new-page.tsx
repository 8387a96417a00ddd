import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useCreateRegistration } from '../../features/engagement/registrations/api/create-registration.ts';
import { RegistrationForm } from '../../features/engagement/registrations/components/registration-form.tsx';

export function RegistrationNewPage() {
  const navigate = useNavigate();
  const create = useCreateRegistration();
  return (
    <>
      <PageHeader
        title="Register a deal"
        description="Any scenario: renewals, new support contracts, consulting, upgrades, migrations, managed services."
        crumbs={[{ label: 'My registrations', to: '/registrations' }, { label: 'Register a deal' }]}
      />
      <RegistrationForm
        pending={create.isPending}
        error={create.error}
        onSubmit={(body) => create.mutate(body, { onSuccess: (r) => void navigate(`/registrations/${r.id}`) })}
      />
    </>
  );
}
