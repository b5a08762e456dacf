import { z } from 'zod';
import { accountSchema, tlsTrustFields } from '../accountSchema';
import { ATLANTIC_API } from './login/cozytouch';
import { REXEL_API, REXEL_TOKEN_URL } from './login/rexel';
import { SOMFY_ACCOUNTS } from './login/somfy';
import { OVERKIZ_ROOT_CA_URL } from './local/rootCa';

/** Cloud servers by brand; `custom` takes `baseUrl`. */
export const OVERKIZ_SERVERS: Record<string, string> = {
  somfy_europe: 'https://ha101-1.overkiz.com/enduser-mobile-web/enduserAPI',
  simu_livein2: 'https://ha101-1.overkiz.com/enduser-mobile-web/enduserAPI',
  somfy_oceania: 'https://ha201-1.overkiz.com/enduser-mobile-web/enduserAPI',
  somfy_america: 'https://ha401-1.overkiz.com/enduser-mobile-web/enduserAPI',
  atlantic_cozytouch: 'https://ha110-1.overkiz.com/enduser-mobile-web/enduserAPI',
  sauter_cozytouch: 'https://ha110-1.overkiz.com/enduser-mobile-web/enduserAPI',
  thermor_cozytouch: 'https://ha110-1.overkiz.com/enduser-mobile-web/enduserAPI',
  hitachi_hi_kumo: 'https://ha117-1.overkiz.com/enduser-mobile-web/enduserAPI',
  hitachi_hi_kumo_asia: 'https://ha203-1.overkiz.com/enduser-mobile-web/enduserAPI',
  hitachi_hi_kumo_oceania: 'https://ha203-1.overkiz.com/enduser-mobile-web/enduserAPI',
  nexity: 'https://ha106-1.overkiz.com/enduser-mobile-web/enduserAPI',
  rexel: REXEL_API,
  flexom: 'https://ha108-1.overkiz.com/enduser-mobile-web/enduserAPI',
  brandt: 'https://ha3-1.overkiz.com/enduser-mobile-web/enduserAPI',
  hexaom: 'https://ha5-1.overkiz.com/enduser-mobile-web/enduserAPI',
  ubiwizz: 'https://ha129-1.overkiz.com/enduser-mobile-web/enduserAPI',
};

/** The brand of each server, as the settings form and the log lines name it. */
export const OVERKIZ_SERVER_NAMES: Record<string, string> = {
  somfy_europe: 'Somfy Europe (TaHoma, Connexoon)',
  simu_livein2: 'SIMU LiveIn2',
  somfy_oceania: 'Somfy Oceania',
  somfy_america: 'Somfy North America',
  atlantic_cozytouch: 'Atlantic Cozytouch',
  sauter_cozytouch: 'Sauter Cozytouch',
  thermor_cozytouch: 'Thermor Cozytouch',
  hitachi_hi_kumo: 'Hitachi Hi Kumo (Europe)',
  hitachi_hi_kumo_asia: 'Hitachi Hi Kumo (Asia)',
  hitachi_hi_kumo_oceania: 'Hitachi Hi Kumo (Oceania)',
  nexity: 'Nexity Eugénie',
  rexel: 'Rexel Energeasy Connect',
  flexom: 'Flexom (Bouygues)',
  brandt: 'Brandt Smart Control',
  hexaom: 'Hexaom HexaConnect',
  ubiwizz: 'Ubiwizz (Decelect)',
  custom: 'Custom (base URL below, e.g. a local gateway)',
};

const tskMode = z.enum(['total', 'partial1', 'partial2']);

export const overkizAccountSchema = accountSchema(
  { baseUrl: '', pollIntervalSeconds: 1, minPollSeconds: 1 },
  {
    server: z.enum(['custom', ...Object.keys(OVERKIZ_SERVERS)] as [string, ...string[]]).default('somfy_europe'),
    username: z.string().trim().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Local API of a gateway in developer mode: sent as Bearer. */
    token: z.string().min(1).optional(),
    /** Login variants the API accepts instead of a password (a brand's own token, obtained outside this plugin). */
    jwt: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
    ssoToken: z.string().min(1).optional(),
    /** Rexel: the refresh token of its browser consent (README), refreshed by the plugin. */
    refreshToken: z.string().min(1).optional(),
    /** Rexel: the gateway PIN (1234-5678-9012), sent in the `gatewayId` header its proxy requires. */
    gatewayId: z.string().trim().min(1).optional(),
    /** The brands' own login services, to point them elsewhere (a test server, a corporate proxy). */
    atlanticApiUrl: z.string().url().default(ATLANTIC_API),
    somfyAccountsUrl: z.string().url().default(SOMFY_ACCOUNTS),
    rexelTokenUrl: z.string().url().default(REXEL_TOKEN_URL),
    /**
     * Use the gateway's local API (LAN, no cloud quota), set up from this cloud account: a local token is made through
     * the cloud and kept under the storage dir; the cloud takes over while the gateway does not answer.
     */
    localApi: z.boolean().default(false),
    /** The gateway's PIN (1234-5678-9012); default: the first gateway of the cloud setup. */
    gatewayPin: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{4}-\d{4}$/, 'the gateway PIN looks like 1234-5678-9012')
      .optional(),
    /** The local API's URL when neither mDNS nor gateway-<pin>.local finds it (e.g. https://192.168.1.20:8443/...). */
    localUrl: z.string().url().optional(),
    /** Where the Overkiz root CA is read from (once, kept in the storage dir) when no caCertificate or fingerprint is set. */
    rootCaUrl: z.string().url().default(OVERKIZ_ROOT_CA_URL),
    /** With localApi: trust for the gateway's certificate (caCertificate / certificateFingerprint apply to it). */
    ...tlsTrustFields,
    setupOID: z.string().optional(),
    exposeScenarios: z.boolean().default(false),
    commandWindowMs: z.number().int().min(0).max(5000).default(150),
    myPositionSwitch: z.boolean().default(false),
    /** One switch per heating level a heater declares (comfort, eco, frost protection, boost…), for Home automations. */
    heatingLevelSwitches: z.boolean().default(false),
    /** False: Home (and Siri) may arm the alarms but never disarm them. */
    alarmDisarmFromHome: z.boolean().default(true),
    /** Which TSK alarm mode each HomeKit arm state sets (a site whose "night" is partial 1, for example). */
    tskModes: z
      .object({ away: tskMode.default('total'), stay: tskMode.default('partial1'), night: tskMode.default('partial2') })
      .default({ away: 'total', stay: 'partial1', night: 'partial2' }),
    /**
     * Event fetch interval while the cloud account is idle (no command of ours in the last minute). 4 s: a change made
     * at a wall switch reaches Home within 4 s, for a quarter of the requests of a fetch every second; each fetch costs
     * the Homebridge process about 1.5 ms of CPU, so 3 s cost a third more CPU for a second less.
     */
    idlePollSeconds: z.number().int().min(2).max(10).default(4),
    /** Shutters that declare it move at low speed (setClosureAndLinearSpeed "lowspeed"): quieter, slower. */
    lowSpeedShutters: z.boolean().default(false),
    /** Show sirens (off by default: a siren in Home can be set off by a scene or by Siri). */
    exposeSirens: z.boolean().default(false),
  },
)
  .transform((a) => ({ ...a, baseUrl: a.baseUrl || OVERKIZ_SERVERS[a.server] || '' }))
  .refine((a) => a.baseUrl !== '', { message: 'server "custom" needs a baseUrl', path: ['baseUrl'] })
  .refine((a) => a.server !== 'nexity' || a.token || a.ssoToken || a.jwt || a.accessToken, {
    message:
      'Nexity Eugénie logs in through Amazon Cognito, which this plugin does not do: give ssoToken with your e-mail as username (README)',
    path: ['ssoToken'],
  })
  .refine((a) => a.server !== 'rexel' || ((a.refreshToken || a.accessToken) && a.gatewayId), {
    message: 'Rexel Energeasy Connect logs in on a browser consent page: give the refreshToken it yields and your gatewayId (README)',
    path: ['refreshToken'],
  })
  .refine((a) => a.token || a.jwt || a.accessToken || a.refreshToken || (a.username && (a.password || a.ssoToken)), {
    message: 'give username and password (or a token for a local gateway, or jwt / accessToken / ssoToken)',
    path: ['password'],
  });
export type OverkizAccount = z.output<typeof overkizAccountSchema>;
