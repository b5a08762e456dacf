/**
 * Device kinds (uiClass) that are not published, each for a stated reason. A kind of a real account that no family
 * takes and this list does not name is a gap: the real-payload test fails on it.
 */
export const HIDDEN_UI_CLASSES: Readonly<Record<string, string>> = {
  Pod: 'the gateway itself',
  ProtocolGateway: 'a radio stack or bridge of the gateway',
  NetworkComponent: 'a network node (Z-Wave repeater)',
  Wifi: 'the gateway Wi-Fi module',
  Camera: 'Overkiz gives no stream; HomeKit cameras need one',
  RemoteController: 'a one-way remote: it reports nothing',
  Siren: 'shown only with exposeSirens (a siren in Home could be set off by a scene or by Siri)',
};

/** Kinds a family does not take yet (the device-family work continues): shown in the debug log as such. */
export const NOT_YET_MAPPED: Readonly<Record<string, string>> = {};
