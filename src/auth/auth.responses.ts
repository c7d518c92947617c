import { z } from 'zod';
import { ROLES } from '../common/names';

/** The shapes the auth and users routes answer with, for the OpenAPI document. */
const UserSummary = z.object({
  id: z.uuid(),
  email: z.email().meta({ example: 'ann@example.com' }),
  name: z.string().meta({ example: 'Ann Agent' }),
  role: z.enum(ROLES),
});

export const LoginResponse = z.object({
  accessToken: z.string().meta({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }),
  user: UserSummary,
  twoFactorEnrolmentRequired: z
    .literal(true)
    .optional()
    .meta({ description: 'REQUIRE_2FA holds this admin to enrolment first' }),
});

export const UserResponse = UserSummary.extend({
  active: z.boolean(),
  capacity: z.int().meta({ example: 10 }),
  twoFactor: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  passwordTemporary: z.boolean().meta({
    description: 'generated or set by an admin: the first-run checklist asks for a new one',
  }),
  createdAt: z.iso.datetime(),
});

export const UserListResponse = z.object({ items: z.array(UserResponse) });

export const TwoFactorSetupResponse = z.object({
  secret: z.string().meta({ description: 'base32, shown this once' }),
  otpauthUrl: z.string().meta({ example: 'otpauth://totp/Hub:ann%40example.com?secret=…' }),
});

export const TwoFactorStateResponse = z.object({ twoFactor: z.boolean() });

export const NewUserResponse = UserResponse.extend({
  temporaryPassword: z
    .string()
    .optional()
    .meta({ description: 'an invitation (no password given): the generated one, shown this once' }),
});

export const TemporaryPasswordResponse = z.object({
  temporaryPassword: z.string().meta({ description: 'shown this once' }),
});
