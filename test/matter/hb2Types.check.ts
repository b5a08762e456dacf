/*
 * Type-checked against Homebridge 2.4's own declarations (tsconfig.hb2.json, run by `npm test`): the Matter API
 * the plugin declares for itself (src/matter/homebridgeMatter.ts) must stay what Homebridge 2 really offers.
 */
import type { API, MatterAccessory as Hb2Accessory, MatterAPI as Hb2MatterAPI } from 'homebridge';
import type { HomebridgeAPI, MatterAccessory, MatterAPI } from '../../src/matter/homebridgeMatter';

/** Homebridge 2's api.matter is usable where the plugin expects its MatterAPI. */
export const matterApi = (api: Hb2MatterAPI): MatterAPI => api;
export const homebridgeApi = (api: API): HomebridgeAPI => api;

/** An accessory from Homebridge 2's cache is one the plugin can read. */
export const cached = (accessory: Hb2Accessory): MatterAccessory => accessory;

/**
 * What the plugin registers is a Homebridge 2 accessory. Device types are Homebridge's own values passed back, and
 * handlers are built generically (per-cluster typing checked at run time by the Matter e2e): only those two are cast.
 */
type DeviceType = Hb2Accessory['deviceType'];
type Handlers = Hb2Accessory['handlers'];
export const registered = (a: MatterAccessory): Hb2Accessory => ({
  ...a,
  deviceType: a.deviceType as DeviceType,
  handlers: a.handlers as Handlers,
  parts: a.parts?.map((p) => ({ ...p, deviceType: p.deviceType as DeviceType, handlers: p.handlers as Handlers })),
});
