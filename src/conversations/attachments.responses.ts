import { z } from 'zod';

/** The shapes the attachment routes answer with, for the OpenAPI document. */
export const UploadResponse = z.object({
  id: z.uuid(),
  filename: z.string().meta({ example: 'invoice.pdf' }),
  contentType: z.string().meta({ example: 'application/pdf' }),
  size: z.int(),
  url: z.string().meta({ description: 'the bearer-token download route' }),
});

export const LinkResponse = z.object({
  url: z.string().meta({
    example: '/api/v1/attachments/0190c5a2-7d1e-7cc4-9b8e-3f7c2b1a9d40/signed?token=YQ.abc',
  }),
  expiresAt: z.iso.datetime(),
});
