/** What the first-run checklist looks at. */
export interface SetupFacts {
  teams: number;
  cannedResponses: number;
  liveChannels: number;
  /** Active admins still signing in with a generated or admin-set password. */
  adminsWithTemporaryPassword: number;
  /** Whether the admin asking has a second factor. */
  callerTwoFactor: boolean;
}

export type ChecklistKey =
  'team' | 'cannedResponses' | 'liveChannel' | 'adminPassword' | 'twoFactor';

export interface ChecklistItem {
  key: ChecklistKey;
  done: boolean;
  /** The settings section that completes it. */
  section: 'teams' | 'canned' | 'channels' | 'users';
}

/** The first-run checklist, in the order an admin would work through it. */
export function checklist(f: SetupFacts): { items: ChecklistItem[]; complete: boolean } {
  const items: ChecklistItem[] = [
    { key: 'adminPassword', done: f.adminsWithTemporaryPassword === 0, section: 'users' },
    { key: 'twoFactor', done: f.callerTwoFactor, section: 'users' },
    { key: 'team', done: f.teams > 0, section: 'teams' },
    { key: 'cannedResponses', done: f.cannedResponses > 0, section: 'canned' },
    { key: 'liveChannel', done: f.liveChannels > 0, section: 'channels' },
  ];
  return { items, complete: items.every((i) => i.done) };
}
