/** English strings of the agent web app. Every key here must have its zh-CN twin (zh-CN.ts). */
export const en = {
  'email.showFormatted': 'Show formatted',
  'email.hideFormatted': 'Hide formatted',
  'email.frameTitle': 'Formatted message',
  'email.remoteBlocked': 'Remote images and styles are blocked.',
  'email.loadRemote': 'Load remote content',
  'claims.title': 'Claimed in live chat',
  'claims.unverified': 'unverified',
  'claims.verified': 'verified',
  'claims.byOtherVisitor': 'by another chat visitor',
} as const;

export type MessageKey = keyof typeof en;
