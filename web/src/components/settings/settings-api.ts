// The settings screens' calls, typed by the OpenAPI document. Loaders are module-level functions
// so useResource/useList keep one identity for them across renders.
import { client, unwrap } from '../../api/client';

export const loadMe = () => unwrap(client.GET('/api/v1/auth/me'));
export const loadUsers = () => unwrap(client.GET('/api/v1/users'));
export const loadTeams = () => unwrap(client.GET('/api/v1/teams'));
export const loadSlaPolicies = () => unwrap(client.GET('/api/v1/sla-policies'));
export const loadChannels = () => unwrap(client.GET('/api/v1/settings/channels'));
export const loadRoutingDefaults = () => unwrap(client.GET('/api/v1/settings/routing-defaults'));
export const loadChecklist = () => unwrap(client.GET('/api/v1/settings/checklist'));
export const loadCanned = () => unwrap(client.GET('/api/v1/canned-responses'));
export const loadApiKeys = () => unwrap(client.GET('/api/v1/api-keys'));
export const loadWebhooks = () => unwrap(client.GET('/api/v1/webhooks'));
export const loadRules = () => unwrap(client.GET('/api/v1/automation-rules'));
