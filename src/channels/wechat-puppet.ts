import type { WechatyPuppet } from '../../channel-adapters/wechat';

/**
 * A puppet instance to use instead of the WECHATY_PUPPET package name: the one test hook for
 * wechaty-puppet-mock, whose Mocker a test must hold. Set before boot; null in production.
 */
export const wechatPuppetOverride: { puppet: WechatyPuppet | null } = { puppet: null };
