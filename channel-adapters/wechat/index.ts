export { WechatyAdapter } from './wechaty.adapter';
export type { WechatyAdapterOptions, WechatLoginState, WechatyPuppet } from './wechaty.adapter';
export { normalizeWechatMessage } from './wechat-message';
export type { WechatNormalizeOptions } from './wechat-message';
