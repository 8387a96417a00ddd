import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { audienceOf } from '../areas.ts';
import { CockpitPage } from './cockpit-page.tsx';
import { PartnerHomePage } from './partner-home-page.tsx';

export function HomePage() {
  const { user } = useCurrentSession();
  return audienceOf(user.roles) === 'partner' ? <PartnerHomePage /> : <CockpitPage />;
}
