import type { ProviderReceipt } from '../../../src/channels/channel-port';
import { interruptedOutcome } from '../../../src/delivery/interrupted-sends';

const receipt: ProviderReceipt = { providerMessageId: 'SM1', status: 'sent' };

describe(interruptedOutcome.name, () => {
  const table: Array<[string, ProviderReceipt[] | null, string | null, string]> = [
    ['the provider has it', [receipt], 'normal', 'had-it'],
    ['the provider has it, critical', [receipt], 'critical', 'had-it'],
    ['the provider has none', [], 'low', 'never-got-it'],
    ['the provider has none, critical', [], 'critical', 'never-got-it'],
    ['the provider cannot be asked', null, 'normal', 'unknown'],
    ['the provider cannot be asked, no urgency', null, null, 'unknown'],
    ['the provider cannot be asked, high', null, 'high', 'unknown'],
    ['the provider cannot be asked, critical', null, 'critical', 'unknown-resent'],
  ];
  it.each(table)('%s -> %s', (_what, found, urgency, expected) => {
    expect(interruptedOutcome(found, urgency)).toBe(expected);
  });
});
