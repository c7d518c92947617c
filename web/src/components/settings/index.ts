export { Settings } from './Settings';
export { SetupChecklist } from './SetupChecklist';
export { canSeeSettings } from './sections';
