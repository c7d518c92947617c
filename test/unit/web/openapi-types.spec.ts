import { readFileSync } from 'fs';
import { OPENAPI_TYPES_FILE, openApiTypesText } from '../../../src/http/openapi-types';

describe("the web app's API types (web/src/api/schema.ts)", () => {
  it('are what `npm run openapi:types` makes of the current OpenAPI document', async () => {
    const current = readFileSync(OPENAPI_TYPES_FILE, 'utf8');
    // A stale file means a route changed without regenerating the client's types.
    expect(current === (await openApiTypesText())).toBe(true);
  });
});
