import type { MessageKey } from './en';

/** 简体中文 strings of the agent web app: the same keys as en.ts (the type checks none is missing). */
export const zhCN: Record<MessageKey, string> = {
  'email.showFormatted': '显示格式化内容',
  'email.hideFormatted': '隐藏格式化内容',
  'email.frameTitle': '格式化邮件',
  'email.remoteBlocked': '已阻止远程图片和样式。',
  'email.loadRemote': '加载远程内容',
  'claims.title': '在线客服中声明的身份',
  'claims.unverified': '未验证',
  'claims.verified': '已验证',
  'claims.byOtherVisitor': '由其他访客声明',
};
