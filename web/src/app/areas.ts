import type { Role } from '../../../common/roles.ts';
import { isPartnerRole } from '../../../common/roles.ts';

export type Audience = 'internal' | 'partner';

export type AreaId =
  | 'home'
  | 'governance'
  | 'plan'
  | 'partners'
  | 'accounts'
  | 'engagement'
  | 'voice'
  | 'comms'
  | 'comp-plans'
  | 'my-comp-plan'
  | 'commissions'
  | 'my-statements'
  | 'scorecards'
  | 'roi'
  | 'users'
  | 'api-tokens'
  | 'audit'
  | 'registrations'
  | 'rules-of-the-road'
  | 'my-organisation';

export type AreaIcon =
  | 'home'
  | 'governance'
  | 'plan'
  | 'partners'
  | 'accounts'
  | 'engagement'
  | 'voice'
  | 'comms'
  | 'comp'
  | 'commissions'
  | 'scorecards'
  | 'roi'
  | 'users'
  | 'tokens'
  | 'audit'
  | 'registrations'
  | 'rules'
  | 'organisation';

export interface Area {
  id: AreaId;
  label: string;
  path: string;
  icon: AreaIcon;
  /** What the area holds (domain.md), shown on its page until it is built. */
  holds: string;
  /** Who it is for, shown under the description of areas that are not built yet. */
  audienceNote: string;
  built: boolean;
  /** Roles that see it; 'everyone' = every role of the audience. */
  roles: 'everyone' | readonly Role[];
  /** Sub-navigation inside the area, shown under it while the area is open. */
  sections?: readonly AreaSection[];
}

export interface AreaSection {
  label: string;
  path: string;
  roles: 'everyone' | readonly Role[];
}

export interface AreaGroup {
  label: string | null;
  areas: readonly Area[];
}

const leadership: readonly Role[] = ['admin', 'executive', 'programme_lead'];
const compDesigners: readonly Role[] = ['admin', 'executive', 'programme_lead', 'comp_admin', 'finance'];
const planParticipants: readonly Role[] = ['internal_seller', 'operations', 'delivery'];

const internalGroups: readonly AreaGroup[] = [
  {
    label: null,
    areas: [
      {
        id: 'home',
        label: 'Cockpit',
        path: '/',
        icon: 'home',
        holds: 'The state of the realignment programme at a glance.',
        audienceNote: 'Everyone in the vendor organisation.',
        built: true,
        roles: 'everyone',
      },
    ],
  },
  {
    label: 'Programme',
    areas: [
      {
        id: 'governance',
        label: 'Governance',
        path: '/governance',
        icon: 'governance',
        holds: 'Programme, integration team, oversight committee, meetings, decisions, decision rights.',
        audienceNote: 'Answers “who makes decisions now?” for everyone in the programme.',
        built: false,
        roles: 'everyone',
      },
      {
        id: 'plan',
        label: '90-day plan',
        path: '/plan',
        icon: 'plan',
        holds: 'The 90-day plan: workstreams, milestones, actions, dependencies, status, sharing.',
        audienceNote: 'Owned by the programme lead, shared with everyone.',
        built: false,
        roles: 'everyone',
      },
      {
        id: 'voice',
        label: 'Voice',
        path: '/voice',
        icon: 'voice',
        holds: 'Concerns from internal teams and partners, pulse surveys, triage, responses, “you said, we did”.',
        audienceNote: 'Every internal team raises concerns here; the programme triages and responds.',
        built: false,
        roles: 'everyone',
      },
      {
        id: 'comms',
        label: 'Comms',
        path: '/comms',
        icon: 'comms',
        holds: 'Communication plan, audiences, calendar, success stories, digests, outbound email.',
        audienceNote: 'For the programme lead, executives and channel managers.',
        built: false,
        roles: [...leadership, 'channel_manager'],
      },
    ],
  },
  {
    label: 'Channel',
    areas: [
      {
        id: 'partners',
        label: 'Partners',
        path: '/partners',
        icon: 'partners',
        holds: 'Partner organisations, tiers, contacts, partner executives.',
        audienceNote: '',
        built: true,
        roles: 'everyone',
        sections: [{ label: 'Re-engagement', path: '/partners/reengagement', roles: ['admin', 'executive', 'programme_lead', 'channel_manager'] }],
      },
      {
        id: 'accounts',
        label: 'Accounts',
        path: '/accounts',
        icon: 'accounts',
        holds: 'End customers, ownership (direct / channel / shared, effective-dated).',
        audienceNote: 'Answers who owns a customer, for sellers and channel managers alike.',
        built: true,
        roles: 'everyone',
      },
      {
        id: 'engagement',
        label: 'Engagement',
        path: '/engagement',
        icon: 'engagement',
        holds: 'Rules of the road (versioned), deal registration, routing, SLAs, conflicts, friction analytics.',
        audienceNote: 'Channel managers review registrations; sellers act on partner deals.',
        built: true,
        roles: 'everyone',
        sections: [
          {
            label: 'Review queue',
            path: '/engagement/review-queue',
            roles: ['admin', 'programme_lead', 'channel_manager', 'internal_seller', 'operations', 'delivery'],
          },
          { label: 'Offers', path: '/engagement/offers', roles: ['admin', 'programme_lead', 'channel_manager'] },
          { label: 'Rules of the road', path: '/engagement/rules', roles: 'everyone' },
          { label: 'Scenarios', path: '/engagement/scenarios', roles: 'everyone' },
          { label: 'Friction', path: '/engagement/friction', roles: ['admin', 'executive', 'programme_lead', 'channel_manager'] },
          { label: 'Conflicts', path: '/engagement/conflicts', roles: ['admin', 'programme_lead', 'channel_manager'] },
          { label: 'Conflict heat map', path: '/engagement/conflicts/heatmap', roles: ['admin', 'programme_lead', 'channel_manager'] },
        ],
      },
    ],
  },
  {
    label: 'Performance',
    areas: [
      {
        id: 'comp-plans',
        label: 'Comp plans',
        path: '/comp-plans',
        icon: 'comp',
        holds: 'Compensation plan models, components, simulation, documents, rollout and acknowledgement.',
        audienceNote: 'Designed by compensation administrators and finance, approved by leadership.',
        built: true,
        roles: compDesigners,
        sections: [
          { label: 'Plans', path: '/comp-plans', roles: 'everyone' },
          { label: 'Participants', path: '/comp-plans/participants', roles: 'everyone' },
          { label: 'Settings', path: '/comp-plans/settings', roles: 'everyone' },
          { label: 'Rollout', path: '/comp-plans/rollout', roles: compDesigners },
          { label: 'Simulation', path: '/comp-plans/simulation', roles: ['admin', 'comp_admin', 'finance'] },
        ],
      },
      {
        id: 'my-comp-plan',
        label: 'My comp plan',
        path: '/my/comp-plan',
        icon: 'comp',
        holds: 'Your compensation plan: its document, your accountabilities, and your acknowledgement.',
        audienceNote: 'For internal sellers, operations and delivery staff.',
        built: true,
        roles: planParticipants,
      },
      {
        id: 'commissions',
        label: 'Commissions',
        path: '/commissions',
        icon: 'commissions',
        holds: 'Transactions, crediting, period runs, statements, adjustments, disputes, close.',
        audienceNote: 'For compensation administrators, finance and auditors.',
        built: true,
        // The roles the commissions API serves: others (executives, auditors) would open pages that answer 403/404.
        roles: ['admin', 'comp_admin', 'finance'],
        sections: [
          { label: 'Imports', path: '/commissions/imports', roles: 'everyone' },
          { label: 'Runs', path: '/commissions/runs', roles: 'everyone' },
          { label: 'Statements', path: '/commissions/statements', roles: 'everyone' },
          { label: 'Disputes', path: '/commissions/disputes', roles: 'everyone' },
          { label: 'Periods', path: '/commissions/periods', roles: 'everyone' },
          { label: 'Settings', path: '/commissions/settings', roles: 'everyone' },
        ],
      },
      {
        id: 'my-statements',
        label: 'My statements',
        path: '/my/statements',
        icon: 'commissions',
        holds: 'Your commission statements, credits, adjustments and disputes, period by period.',
        audienceNote: 'For internal sellers, operations and delivery staff.',
        built: true,
        roles: planParticipants,
      },
      {
        id: 'scorecards',
        label: 'Scorecards',
        path: '/scorecards',
        icon: 'scorecards',
        holds: 'Activities (accountabilities), metric definitions, targets, scorecards, publication.',
        audienceNote: 'Published to the audiences allowed to see them.',
        built: true,
        roles: 'everyone',
        sections: [
          { label: 'Scorecards', path: '/scorecards', roles: 'everyone' },
          {
            label: 'Metrics',
            path: '/scorecards/metrics',
            roles: ['admin', 'programme_lead', 'channel_manager', 'executive', 'comp_admin', 'finance', 'auditor'],
          },
          { label: 'Activity log', path: '/scorecards/activities', roles: 'everyone' },
          { label: 'Making the number', path: '/scorecards/making-the-number', roles: 'everyone' },
          {
            label: 'Tier compliance',
            path: '/scorecards/tier-compliance',
            roles: ['admin', 'programme_lead', 'channel_manager', 'executive', 'comp_admin', 'finance', 'auditor'],
          },
        ],
      },
      {
        id: 'roi',
        label: 'ROI',
        path: '/roi',
        icon: 'roi',
        holds: 'Investments and benefits of the programme, payback.',
        audienceNote: 'For leadership and finance: the programme must pay for the resources it consumes.',
        built: false,
        roles: [...leadership, 'finance'],
      },
    ],
  },
  {
    label: 'Administration',
    areas: [
      {
        id: 'users',
        label: 'Users',
        path: '/admin/users',
        icon: 'users',
        holds: 'Users, roles and partner membership.',
        audienceNote: '',
        built: true,
        roles: ['admin'],
      },
      {
        id: 'api-tokens',
        label: 'API tokens',
        path: '/admin/api-tokens',
        icon: 'tokens',
        holds: 'Personal API tokens for integrations.',
        audienceNote: '',
        built: true,
        roles: ['admin'],
      },
      {
        id: 'audit',
        label: 'Audit log',
        path: '/admin/audit',
        icon: 'audit',
        holds: 'The tamper-evident log of every change.',
        audienceNote: '',
        built: true,
        roles: ['admin', 'auditor'],
      },
    ],
  },
];

const partnerGroups: readonly AreaGroup[] = [
  {
    label: null,
    areas: [
      {
        id: 'home',
        label: 'Home',
        path: '/',
        icon: 'home',
        holds: 'Your organisation in the programme.',
        audienceNote: '',
        built: true,
        roles: 'everyone',
      },
      {
        id: 'registrations',
        label: 'Deal registration',
        path: '/registrations',
        icon: 'registrations',
        holds:
          'Register deals of any scenario (renewals, new support contracts, consulting, upgrades, migrations, managed services), follow their review and protection window.',
        audienceNote: 'For partner administrators and partner sellers.',
        built: true,
        roles: 'everyone',
        sections: [
          { label: 'Registrations', path: '/registrations', roles: 'everyone' },
          { label: 'Credit disputes', path: '/registrations/disputes', roles: 'everyone' },
        ],
      },
      {
        id: 'rules-of-the-road',
        label: 'Rules of the road',
        path: '/rules-of-the-road',
        icon: 'rules',
        holds:
          'The current rules of the road: who owns an account, which registrations are eligible, review SLAs, protection windows, conflict resolution and crediting.',
        audienceNote: 'Versioned; the version in force is always shown here.',
        built: true,
        roles: 'everyone',
      },
      {
        id: 'my-organisation',
        label: 'My organisation',
        path: '/my-organisation',
        icon: 'organisation',
        holds: 'Your partner profile, contacts and users.',
        audienceNote: '',
        built: true,
        roles: 'everyone',
      },
      {
        id: 'voice',
        label: 'Voice',
        path: '/voice',
        icon: 'voice',
        holds: 'Raise concerns with the vendor, answer pulse surveys, and see “you said, we did”.',
        audienceNote: 'For partner administrators and partner sellers.',
        built: false,
        roles: 'everyone',
      },
      {
        id: 'scorecards',
        label: 'Scorecards',
        path: '/scorecards',
        icon: 'scorecards',
        holds: 'Your organisation’s scorecard and tier: metrics, targets and published snapshots.',
        audienceNote: 'Published by the vendor to your organisation.',
        built: true,
        roles: 'everyone',
        sections: [
          { label: 'Scorecards', path: '/scorecards', roles: 'everyone' },
          { label: 'Your tier', path: '/scorecards/tier-compliance', roles: 'everyone' },
        ],
      },
    ],
  },
];

export function audienceOf(roles: readonly Role[]): Audience {
  // A user with any internal role is internal; partner users hold only partner roles.
  return roles.length > 0 && roles.every(isPartnerRole) ? 'partner' : 'internal';
}

function allows(area: Area, roles: readonly Role[]): boolean {
  return area.roles === 'everyone' || area.roles.some((r) => roles.includes(r));
}

/** The navigation a user sees: groups with only the areas their roles allow, empty groups dropped. */
export function navigationFor(roles: readonly Role[]): AreaGroup[] {
  const groups = audienceOf(roles) === 'partner' ? partnerGroups : internalGroups;
  return groups.map((g) => ({ label: g.label, areas: g.areas.filter((a) => allows(a, roles)) })).filter((g) => g.areas.length > 0);
}

/** The sub-navigation of an area that this user's roles allow. */
export function sectionsFor(area: Area, roles: readonly Role[]): AreaSection[] {
  return (area.sections ?? []).filter((s) => s.roles === 'everyone' || s.roles.some((r) => roles.includes(r)));
}

/** The area with that id as this user sees it, or null when it is not theirs. */
export function findArea(roles: readonly Role[], id: AreaId): Area | null {
  for (const group of navigationFor(roles)) {
    const area = group.areas.find((a) => a.id === id);
    if (area) return area;
  }
  return null;
}
