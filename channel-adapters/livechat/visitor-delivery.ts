/** One chat message as the widget draws it (the `message` event of namespace /chat). */
export interface ChatPayload {
  id: string;
  text: string;
  direction: 'inbound' | 'outbound';
  author?: { name?: string } | null;
  createdAt: string;
}

/**
 * The port the live-chat adapter sends through: implemented by the app's socket.io gateway.
 * deliver() resolves false when no socket of that visitor is connected on any instance.
 */
export interface VisitorDelivery {
  deliver(visitorId: string, payload: ChatPayload): Promise<boolean>;
}
