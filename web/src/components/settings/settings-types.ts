// Shapes the settings screens read from the hub's API: the generated ones (web/src/api/schema.ts).
import type { AnswerOf, BodyOf } from '../../api/answers';
import type { CannedResponse } from '../../types';

export type AdminUser = AnswerOf<'/api/v1/users', 'get'>['items'][number];

export type Team = AnswerOf<'/api/v1/teams', 'get'>['items'][number];

/** Weekday "0" (Sunday) .. "6" -> [start, end] as HH:MM. */
export type WeekHours = NonNullable<Team['businessHours']>;

export type SlaPolicy = AnswerOf<'/api/v1/sla-policies', 'get'>['items'][number];

export type CannedResponseRow = CannedResponse;

export type ChannelStatusList = AnswerOf<'/api/v1/settings/channels', 'get'>;
export type ChannelStatus = ChannelStatusList['items'][number];
export type Health = ChannelStatus['health'];

export type RoutingDefaults = BodyOf<'/api/v1/settings/routing-defaults', 'put'>;
export type RoutingDefaultsView = AnswerOf<'/api/v1/settings/routing-defaults', 'get'>;

export type ChecklistView = AnswerOf<'/api/v1/settings/checklist', 'get'>;
