/** English strings of the agent web app. Every key here must have its zh-CN twin (zh-CN.ts). */
export const en = {
  'email.showFormatted': 'Show formatted',
  'email.hideFormatted': 'Hide formatted',
  'email.frameTitle': 'Formatted message',
  'email.remoteBlocked': 'Remote images and styles are blocked.',
  'email.loadRemote': 'Load remote content',
} as const;

export type MessageKey = keyof typeof en;
