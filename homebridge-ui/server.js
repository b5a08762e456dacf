// The settings page's server: a child process homebridge-config-ui-x starts while the plugin's settings are open.
// It only wires the plugin's own handlers (dist/ui/backend.js) to @homebridge/plugin-ui-utils, which is ESM-only.
'use strict';
require('../dist/core/lazyZodLocales.js');
const { settingsHandlers } = require('../dist/ui/backend.js');

async function main() {
  const { HomebridgePluginUiServer, RequestError } = await import('@homebridge/plugin-ui-utils');
  class BuildingHubUiServer extends HomebridgePluginUiServer {
    constructor() {
      super();
      const say = (level) => (message) => console[level](`[Building Hub settings] ${message}`);
      const log = { info: say('log'), warn: say('warn'), error: say('error'), debug: () => undefined };
      const handlers = settingsHandlers(this.homebridgeStoragePath, log);
      for (const [path, handler] of Object.entries(handlers)) {
        this.onRequest(path, async (payload) => {
          try {
            return await handler(payload);
          } catch (err) {
            throw new RequestError(err instanceof Error ? err.message : String(err), {});
          }
        });
      }
      this.ready();
    }
  }
  return new BuildingHubUiServer();
}

main().catch((err) => {
  console.error(`[Building Hub settings] the settings server could not start: ${err && err.message}`);
  process.exit(1);
});
