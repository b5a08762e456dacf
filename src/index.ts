// First, so that zod's locales are not all loaded with zod (see the module).
import './core/lazyZodLocales';
import type { API } from 'homebridge';
import { BuildingHubPlatform } from './platform';
import { PLATFORM_NAME } from './settings';

export = (api: API): void => {
  api.registerPlatform(PLATFORM_NAME, BuildingHubPlatform);
};
