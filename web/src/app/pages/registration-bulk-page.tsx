import { PageHeader } from '../../components/ui/page-header.tsx';
import { BulkUpload } from '../../features/engagement/registrations/components/bulk-upload.tsx';

export function RegistrationBulkPage() {
  return (
    <>
      <PageHeader
        title="Upload registrations"
        description="Register many deals from a CSV file. Every row is checked first and reported with its line number."
        crumbs={[{ label: 'My registrations', to: '/registrations' }, { label: 'Upload CSV' }]}
      />
      <BulkUpload />
    </>
  );
}
