import { CHANNEL_LABEL, CHANNEL_SHORT } from '../format';
import type { Channel } from '../types';

export function ChannelMark({ channel }: { channel: Channel | null | undefined }) {
  if (!channel) return null;
  return (
    <span
      class={`chan chan-${channel}`}
      title={CHANNEL_LABEL[channel] ?? channel}
      data-channel={channel}
    >
      {CHANNEL_SHORT[channel] ?? channel}
    </span>
  );
}
