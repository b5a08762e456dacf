import { baxoVendor } from './baxo/vendor';
import { festimeVendor } from './festime/vendor';
import { harmonysVendor } from './harmonys/vendor';
import { homesmartlinkVendor } from './homesmartlink/vendor';
import { overkizVendor } from './overkiz/vendor';
import type { VendorEntry } from './vendorEntry';

export type { VendorEntry } from './vendorEntry';

/** The registry: adding a vendor = one folder + one line here. */
export const VENDORS: readonly VendorEntry[] = [overkizVendor, homesmartlinkVendor, harmonysVendor, festimeVendor, baxoVendor];
