/* Jest reads testTimeout only from the global config; each project sets its own here instead. */
'use strict';
jest.setTimeout(globalThis.TIER_TIMEOUT_MS);
