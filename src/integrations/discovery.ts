/**
 * What the settings page offers to pick for one account, read from the vendor with the account's own login. The
 * page writes the picks into the config (ids the user would otherwise type by hand).
 */
export interface Found {
  /** The id the config takes (a deviceURL, a homeId, a buttonUuid, a badge uid...). */
  id: string;
  name: string;
  /** What it is, in words ("Roller shutter (io)", "temperature"). */
  kind?: string;
  /** One more line: a current value, the sites a button alerts, an e-mail. */
  detail?: string;
  /** Shown before it, grouping items (a BAXO contract and device). */
  group?: string;
  /** A warning the page shows beside its checkbox (a Harmonys button raises a real alert). */
  warning?: string;
  /** Already on (an Overkiz device Home will show, a configured button): the checkbox starts ticked. */
  selected?: boolean;
  /** Not offered: the reason in words (a device kind Home cannot show). */
  unsupported?: string;
  /** Vendor fields the config entry needs besides the id (BAXO: contractId, deviceId, tagReference, as). */
  fields?: Record<string, string>;
}

export interface Discovery {
  items: Found[];
  /** Harmonys: the sites the buttons may alert, offered per button. */
  sites?: Found[];
  /** A sentence for the page (a privacy note, what was read). */
  note?: string;
}
