/** Sending the customer-facing pages: HTML, never cached, and 303 back after a change. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageEvidence } from './preference-centre.service';

export async function sendPage(reply: FastifyReply, status: number, html: string): Promise<void> {
  await reply
    .status(status)
    .headers({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    .send(html);
}

/** See Other: the browser GETs the page again (a reload never posts the change twice). */
export async function seeOther(reply: FastifyReply, location: string): Promise<void> {
  await reply.status(303).headers({ Location: location, 'Cache-Control': 'no-store' }).send('');
}

export function evidenceOf(req: FastifyRequest): PageEvidence {
  const agent = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null };
}

/** ?lang= first, then the browser's languages: for pages that know no customer (a bad link). */
export function browserLanguage(req: FastifyRequest): string | null {
  const accept = req.headers['accept-language'];
  return typeof accept === 'string' ? accept.split(',')[0].trim() : null;
}
