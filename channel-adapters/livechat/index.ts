/** The live-chat channel: replies pushed to the visitor's open widget tabs through a socket port. */
export { LivechatAdapter, LIVECHAT_MAX_LENGTH } from './livechat.adapter';
export type { ChatPayload, VisitorDelivery } from './visitor-delivery';
