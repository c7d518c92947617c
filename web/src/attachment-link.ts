import { useEffect, useState } from 'preact/hooks';
import { client, unwrap } from './api/client';
import { safeUrl } from './format';

const OWN = /^\/api\/v1\/attachments\/([0-9a-f-]{36})$/i;

/** The id of an attachment we store (its url is our own download route), else null. */
export function ownAttachmentId(url: string | null | undefined): string | null {
  const m = url ? OWN.exec(url) : null;
  return m ? m[1] : null;
}

/** A short-lived signed URL a new tab or an <img> can open without the bearer header. */
export async function signedAttachmentUrl(id: string): Promise<string> {
  const link = await unwrap(
    client.POST('/api/v1/attachments/{id}/link', { params: { path: { id } } }),
  );
  return link.url;
}

/** An openable URL for an attachment: signed for our own files, the provider's URL otherwise. */
export function useOpenableUrl(url: string | null | undefined, wanted = true): string | undefined {
  const id = ownAttachmentId(url);
  const [signed, setSigned] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!id || !wanted) return;
    let live = true;
    signedAttachmentUrl(id).then(
      (u) => live && setSigned(u),
      () => live && setSigned(undefined),
    );
    return () => {
      live = false;
    };
  }, [id, wanted]);
  return id ? signed : safeUrl(url);
}

/**
 * Opens an attachment in a new tab. The tab is opened during the click (popup blockers allow
 * that), then pointed at a freshly signed link: a link signed when the page loaded may have expired.
 */
export function openAttachment(url: string): void {
  const id = ownAttachmentId(url);
  if (!id) {
    const safe = safeUrl(url);
    if (safe) window.open(safe, '_blank', 'noopener');
    return;
  }
  const tab = window.open('about:blank', '_blank');
  if (!tab) return;
  tab.opener = null;
  signedAttachmentUrl(id).then(
    (u) => tab.location.replace(u),
    () => tab.close(),
  );
}
