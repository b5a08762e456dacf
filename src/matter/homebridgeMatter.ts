import type { API } from 'homebridge';
import type { MatterDeviceTypeName } from './spec';

/*
 * The part of Homebridge 2's Matter API the plugin uses, declared here so that the plugin builds against Homebridge
 * 1.11's types (the dev dependency: it supports node 20, Homebridge 2 does not). `npm test` type-checks
 * these against Homebridge 2.4's own declarations (test/matter/hb2Types.check.ts), so a drift fails there.
 */

/** A matter.js endpoint type: the plugin only passes Homebridge's own values back to it. */
export type MatterDeviceType = object;

export type MatterClusterStates = Record<string, Record<string, unknown>>;
/** Cluster -> command -> handler; Homebridge types each cluster's own map, the plugin builds them generically. */
export type MatterHandlers = Record<string, object>;

export interface MatterAccessoryPart {
  id: string;
  displayName?: string;
  deviceType: MatterDeviceType;
  clusters: MatterClusterStates;
  handlers?: MatterHandlers;
}

export interface MatterAccessory<T extends object = object> {
  UUID: string;
  displayName: string;
  deviceType: MatterDeviceType;
  serialNumber: string;
  manufacturer: string;
  model: string;
  firmwareRevision?: string;
  context: T;
  clusters?: MatterClusterStates;
  handlers?: MatterHandlers;
  parts?: MatterAccessoryPart[];
}

/** Thrown from a handler: the Matter status the controller gets instead of a failed endpoint. */
type MatterStatusError = new (message?: string) => object;

export interface MatterAPI {
  readonly deviceTypes: Record<MatterDeviceTypeName, MatterDeviceType>;
  readonly status: { readonly Failure: MatterStatusError; readonly Busy: MatterStatusError };
  registerPlatformAccessories(pluginIdentifier: string, platformName: string, accessories: MatterAccessory[]): Promise<void>;
  unregisterPlatformAccessories(pluginIdentifier: string, platformName: string, accessories: MatterAccessory[]): Promise<void>;
  updateAccessoryState(uuid: string, cluster: string, attributes: Record<string, unknown>, partId?: string): Promise<void>;
}

/** Homebridge's API, with `matter` where Homebridge 2 runs Matter for this bridge. */
export type HomebridgeAPI = API & { readonly matter?: MatterAPI };
