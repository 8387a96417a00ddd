import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../../common/roles.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AppUserTable {
  appUserId: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  partnerId: string | null;
  roles: Role[];
  status: 'active' | 'disabled';
  managerUserId: string | null;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface SessionTable {
  sessionId: string;
  appUserId: string;
  csrfToken: string;
  createdAt: Timestamp;
  expiresAt: Date;
  lastSeenAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiTokenTable {
  apiTokenId: string;
  appUserId: string;
  partnerId: string | null;
  name: string;
  tokenHash: string;
  tokenPrefix: string;
  scopes: ('read' | 'write')[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Timestamp;
}

export interface LoginFailureTable {
  loginFailureId: Generated<number>;
  email: string;
  ip: string;
  failedAt: Date;
}
