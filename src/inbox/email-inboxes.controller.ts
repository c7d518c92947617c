import { Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { ApiZodBody, ApiZodResponse, ZodBody } from '../common/http/zod-body';
import { EmailInboxListResponse, SignatureResponse } from './inbox.responses';
import { AppConfig } from '../config/app-config';
import { EmailSignaturesRepository } from '../delivery/email-signatures.repository';

const SignatureBody = z.object({
  /** Plain text; empty removes the signature. */
  text: z.string().max(2000),
});

/** The e-mail inboxes (EMAIL_INBOXES, EMAIL_FROM) and the signature of each. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/email-inboxes')
export class EmailInboxesController {
  constructor(
    private readonly config: AppConfig,
    private readonly signatures: EmailSignaturesRepository,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'E-mail inboxes and their signatures',
    description:
      "`{items: [{address, repliesFrom, signature}]}`: `repliesFrom` marks the address agents' " +
      'e-mail replies leave from (EMAIL_FROM); its `signature` (text or null) ends each of them.',
  })
  @ApiZodResponse(200, 'The inboxes', EmailInboxListResponse)
  async list() {
    const items = await Promise.all(
      this.addresses().map(async (address) => ({
        address,
        repliesFrom: address === this.config.emailFrom.toLowerCase(),
        signature: (await this.signatures.get(address))?.text ?? null,
      })),
    );
    return { items };
  }

  @Put(':address/signature')
  @ApiOperation({
    summary: "Set an e-mail inbox's signature (admins)",
    description:
      'Appended below "-- " to agents\' e-mail replies leaving from the address (text and HTML ' +
      'parts). An empty `text` removes it. 404 for an address that is not an inbox.',
  })
  @ApiZodBody(SignatureBody)
  @ApiZodResponse(200, 'The signature as set', SignatureResponse)
  async put(
    @CurrentUser() user: AuthUser,
    @Param('address') raw: string,
    @ZodBody(SignatureBody) body: z.infer<typeof SignatureBody>,
  ) {
    const address = raw.trim().toLowerCase();
    if (!this.addresses().includes(address))
      throw new DomainError(
        'not_found',
        `address: ${raw} is not an e-mail inbox (EMAIL_INBOXES: ${this.addresses().join(', ')})`,
      );
    const text = body.text.trim();
    if (!text) {
      await this.signatures.remove(address);
      return { address, signature: null };
    }
    const saved = await this.signatures.put(address, text, user.id);
    return { address, signature: saved.text, updatedAt: saved.updatedAt };
  }

  private addresses(): string[] {
    const all = [this.config.emailFrom, ...this.config.env.EMAIL_INBOXES];
    return [...new Set(all.map((a) => a.toLowerCase()))];
  }
}
