import { z } from 'zod';
import { role } from '../roles.ts';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ message: 'must be an e-mail address' }));
const password = z.string().min(12, 'must be at least 12 characters').max(512);

export const loginRequest = z.strictObject({ email, password: z.string().min(1).max(512) });
export const setupRequest = z.strictObject({ email, password, displayName: z.string().trim().min(1).max(200) });

export const userView = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  partnerId: z.uuid().nullable(),
  partnerName: z.string().nullable(),
  roles: z.array(role),
  status: z.enum(['active', 'disabled']),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof userView>;

export const sessionView = z.object({
  user: userView,
  csrfToken: z.string().describe('Send back as the x-csrf-token header on every mutating request made with the session cookie'),
});
export type SessionView = z.infer<typeof sessionView>;

export const setupStatus = z.object({ needsSetup: z.boolean() });

export const createUserRequest = z.strictObject({
  email,
  password,
  displayName: z.string().trim().min(1).max(200),
  roles: z.array(role).min(1).max(12),
  partnerId: z.uuid().nullable().default(null),
  managerUserId: z.uuid().nullable().default(null),
});
export type CreateUserRequest = z.input<typeof createUserRequest>;

export const updateUserRequest = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  roles: z.array(role).min(1).max(12).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const apiTokenScope = z.enum(['read', 'write']);
export const createApiTokenRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(apiTokenScope).min(1).max(2),
  expiresInDays: z.number().int().min(1).max(366).default(90),
});
export const apiTokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(apiTokenScope),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const createdApiToken = apiTokenView.extend({
  token: z.string().describe('Shown once: send as "Authorization: Bearer <token>"'),
});
