import { useOpenableUrl, openAttachment } from '../attachment-link';
import { fileSize } from '../format';
import { t } from '../i18n';
import type { Attachment } from '../types';

const PREVIEWED_IMAGES = /^image\/(png|jpeg|gif|webp)$/;

/** A message's files: images previewed inline, every file opened in a new tab (PDFs in the viewer). */
export function Attachments({ list }: { list: Attachment[] }) {
  return (
    <ul class="attachments" data-testid="attachments">
      {list.map((a) => (
        <AttachmentItem a={a} />
      ))}
    </ul>
  );
}

function AttachmentItem({ a }: { a: Attachment }) {
  const image = PREVIEWED_IMAGES.test(a.contentType);
  const preview = useOpenableUrl(a.url, image);
  const open = (e: Event) => {
    e.preventDefault();
    if (a.url) openAttachment(a.url);
  };
  return (
    <li data-testid="attachment">
      {image && preview && (
        <a href={a.url} onClick={open} class="attachment-preview">
          <img src={preview} alt={a.filename} loading="lazy" data-testid="attachment-image" />
        </a>
      )}
      {a.url ? (
        <a href={a.url} onClick={open} title={t('attachments.open')} data-testid="attachment-link">
          {a.filename}
        </a>
      ) : (
        a.filename
      )}{' '}
      <span class="muted small">{fileSize(a.size)}</span>
    </li>
  );
}
