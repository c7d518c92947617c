/** Room names of the /agents namespace, and which rooms may see a conversation. */
export const STAFF_ROOM = 'staff';
export const AGENTS_ROOM = 'agents';
export const userRoom = (id: string) => `user:${id}`;
export const teamRoom = (id: string) => `team:${id}`;
export const convRoom = (id: string) => `conv:${id}`;

/** Supervisors and admins see all; agents see team-less conversations, their team's, and their own. */
export function roomsFor(conv: { teamId: string | null; assigneeId: string | null }): string[] {
  const rooms = [STAFF_ROOM, conv.teamId ? teamRoom(conv.teamId) : AGENTS_ROOM];
  if (conv.assigneeId) rooms.push(userRoom(conv.assigneeId));
  return rooms;
}
