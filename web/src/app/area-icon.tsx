import {
  IconBuildingCommunity,
  IconBuildingSkyscraper,
  IconCalendarStats,
  IconChartBar,
  IconCoin,
  IconFileCertificate,
  IconFileDollar,
  IconGavel,
  IconHeartHandshake,
  IconHome,
  IconKey,
  IconListCheck,
  IconMessageReport,
  IconReceipt,
  IconRoad,
  IconShieldCheck,
  IconSpeakerphone,
  IconTrendingUp,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { AreaIcon as AreaIconName } from './areas.ts';

const icons: Record<AreaIconName, Icon> = {
  home: IconHome,
  governance: IconGavel,
  plan: IconCalendarStats,
  partners: IconHeartHandshake,
  accounts: IconBuildingSkyscraper,
  engagement: IconRoad,
  voice: IconMessageReport,
  comms: IconSpeakerphone,
  comp: IconFileDollar,
  commissions: IconReceipt,
  scorecards: IconChartBar,
  roi: IconTrendingUp,
  users: IconUsers,
  tokens: IconKey,
  audit: IconShieldCheck,
  registrations: IconListCheck,
  rules: IconFileCertificate,
  organisation: IconBuildingCommunity,
};

export function AreaIcon({ name, size = 18 }: { name: AreaIconName; size?: number }) {
  const Component = icons[name] ?? IconCoin;
  return <Component size={size} stroke={1.6} aria-hidden />;
}
