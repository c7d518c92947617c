/** A file carried by a message, as adapters hand it to the core and the API shows it. */
export interface Attachment {
  filename: string;
  contentType: string;
  size: number;
  /** Where the content can be fetched (provider media URL, or our own /attachments/<id>). */
  url?: string;
  /** Raw content, present only between an adapter and the core's attachment store. */
  content?: Buffer;
  contentId?: string;
}
