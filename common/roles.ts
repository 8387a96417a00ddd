import { z } from 'zod';

export const internalRoles = [
  'admin',
  'executive',
  'programme_lead',
  'channel_manager',
  'comp_admin',
  'finance',
  'internal_seller',
  'operations',
  'delivery',
  'auditor',
] as const;
export const partnerRoles = ['partner_admin', 'partner_seller'] as const;
export const roles = [...internalRoles, ...partnerRoles] as const;
export const role = z.enum(roles);
export type Role = z.infer<typeof role>;
export type PartnerRole = (typeof partnerRoles)[number];

export const roleLabels: Record<Role, string> = {
  admin: 'Administrator',
  executive: 'Executive',
  programme_lead: 'Programme lead',
  channel_manager: 'Channel manager',
  comp_admin: 'Compensation administrator',
  finance: 'Finance',
  internal_seller: 'Internal seller',
  operations: 'Operations',
  delivery: 'Delivery',
  auditor: 'Auditor',
  partner_admin: 'Partner administrator',
  partner_seller: 'Partner seller',
};

export function isPartnerRole(r: Role): r is PartnerRole {
  return (partnerRoles as readonly string[]).includes(r);
}
