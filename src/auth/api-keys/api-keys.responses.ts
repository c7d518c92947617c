import { z } from 'zod';
import { ROLES } from '../../common/names';
import { apiKeyScopeSchema } from './api-key-scopes';

const isoDate = () => z.iso.datetime();

export const ApiKeyResponse = z.object({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string().describe('the first characters of the key, to tell keys apart'),
  scopes: z.array(z.string()),
  role: z.enum(ROLES).nullable(),
  expiresAt: isoDate().nullable(),
  createdBy: z.string().uuid(),
  createdAt: isoDate(),
  lastUsedAt: isoDate().nullable(),
  revokedAt: isoDate().nullable(),
});

export const NewApiKeyResponse = ApiKeyResponse.extend({
  key: z.string().describe('the key itself: shown this once, only its hash is kept'),
});

export const ApiKeyListResponse = z.object({ items: z.array(ApiKeyResponse) });

export const NewApiKeyBody = z
  .object({
    name: z.string().trim().min(1, 'name: give the key a name').max(120),
    scopes: z.array(apiKeyScopeSchema).min(1, 'scopes: give at least one scope').max(20),
    role: z
      .enum(ROLES)
      .optional()
      .describe("also limit the key to this role's permissions (the permission table)"),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type NewApiKeyInput = z.infer<typeof NewApiKeyBody>;
