export const PLUGIN_NAME = 'homebridge-building-hub';
export const PLATFORM_NAME = 'BuildingHub';
