import type { VendorDemo } from '../integrations/vendorEntry';
import { randomUUID } from 'node:crypto';
import type { OverkizDevice } from '../integrations/overkiz/schemas';
import { SimulatorServer, type SimRequest, type SimResponse, VendorSimulator } from './base';

export interface OverkizSimOptions {
  userId: string;
  password: string;
  /** Every login is answered with this (a ban, an outage of the login service). */
  loginFault?: { status: number; body: string };
  /** Local API mode: a Bearer token instead of a login. */
  bearer?: string;
  /** `/login` with `jwt` (Cozytouch): the JWTs the brand's service handed out. */
  acceptJwt?: (jwt: string) => boolean;
  /** OAuth Bearer sessions (Somfy Europe): tokens the brand's accounts service issued and that have not expired. */
  acceptBearer?: (token: string) => boolean;
  /** Every request must carry this `gatewayId` header (Rexel's proxy). */
  gatewayHeader?: string;
  /** A gateway's local API: HTTPS with this key and certificate, under /enduser-mobile-web/1/enduserAPI. */
  localTls?: { key: string; cert: string };
  devices: OverkizDevice[];
  gatewayId?: string;
  actionGroups?: Array<{ oid: string; label: string }>;
  /** Device URLs whose executions fail (FAILED, failureType given). */
  broken?: Record<string, string>;
  /** Executions running at once before EXEC_QUEUE_FULL (the gateway's soft limit is 10). */
  execQueueSize?: number;
  /** Covers take this long (real time) to reach a new position, reporting MovingState meanwhile; 0 = at once. */
  travelMs?: number;
  /** A listener not fetched for this long is dropped (real Overkiz: about 10 minutes). */
  listenerTtlMs?: number;
  now?: () => number;
}

const err = (status: number, errorCode: string, error: string): SimResponse => ({ status, json: { errorCode, error } });

/** The Overkiz end-user API: form login with a cookie, /setup, event listeners, /exec/apply that moves devices. */
export class OverkizSimulator extends VendorSimulator {
  readonly server: SimulatorServer;
  protected readonly basePath: string;
  /** Local API tokens made and activated through this (cloud) server's /config/{pin}/local/tokens. */
  readonly localTokens = new Set<string>();
  private readonly generated = new Set<string>();
  readonly executions: Array<{
    execId: string;
    actions: Array<{ deviceURL: string; commands: Array<{ name: string; parameters: unknown[] }> }>;
    /** Sent to /exec/apply/highPriority. */
    highPriority?: boolean;
  }> = [];
  readonly cancelled: string[] = [];
  readonly scenarioRuns: string[] = [];
  private readonly travels = new Set<NodeJS.Timeout>();
  private readonly sessions = new Set<string>();
  private readonly listeners = new Map<string, { events: unknown[]; fetchedAt: number }>();
  /** Executions not ended yet (the gateway's queue). */
  private readonly running = new Set<string>();

  constructor(readonly opts: OverkizSimOptions) {
    super();
    this.server = new SimulatorServer(opts.localTls);
    this.basePath = opts.localTls ? '/enduser-mobile-web/1/enduserAPI' : '/enduser-mobile-web/enduserAPI';
    this.server.now = () => this.now();
    const r = (method: string, path: string | RegExp, h: (req: SimRequest) => SimResponse, open = false) =>
      this.server.route(
        method,
        typeof path === 'string' ? `${this.basePath}${path}` : new RegExp(`^${this.basePath}${path.source}$`),
        (req) => (open ? h(req) : this.guard(req, h)),
      );
    r('POST', '/login', (req) => this.login(req), true);
    r('GET', /\/config\/([^/]+)\/local\/tokens\/generate/, (req) => this.generateToken(req));
    r('POST', /\/config\/([^/]+)\/local\/tokens/, (req) => this.activateToken(req));
    r('GET', '/setup', () => ({
      json: { gateways: [{ gatewayId: this.opts.gatewayId ?? '0000-1111-2222', alive: true }], devices: this.opts.devices },
    }));
    r('GET', '/setup/devices', () => ({ json: this.opts.devices }));
    r('GET', /\/setup\/devices\/([^/]+)\/states/, (req) => {
      const d = this.device(req.params[0] ?? '');
      return d ? { json: d.states } : err(404, 'UNKNOWN_OBJECT', 'Unknown object');
    });
    r('POST', '/events/register', () => {
      const id = randomUUID();
      this.listeners.clear(); // one listener per session: a new one invalidates the previous
      this.listeners.set(id, { events: [], fetchedAt: this.now() });
      return { json: { id } };
    });
    r('GET', '/actionGroups', () => ({ json: (this.opts.actionGroups ?? []).map((g) => ({ ...g, actions: [] })) }));
    r('POST', '/exec/apply', (req) => this.apply(req));
    r('POST', '/exec/apply/highPriority', (req) => this.apply(req, true));
    r('POST', /\/events\/([^/]+)\/fetch/, (req) => this.fetch(req));
    r('DELETE', /\/exec\/current\/setup\/([^/]+)/, (req) => this.cancel(req));
    r('POST', /\/exec\/(?!apply$)([^/]+)/, (req) => this.runGroup(req));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  device(url: string): OverkizDevice | undefined {
    return this.opts.devices.find((d) => d.deviceURL === url);
  }

  /** Test hooks. */
  expireSessions(): void {
    this.sessions.clear();
  }

  dropListeners(): void {
    this.listeners.clear();
  }

  /** Changes a state as if the device reported it, and tells every listener. */
  setState(url: string, name: string, value: unknown): void {
    const d = this.device(url);
    if (!d) throw new Error(`no device ${url}`);
    const s = d.states.find((x) => x.name === name);
    if (s) s.value = value;
    else d.states.push({ name, type: typeof value === 'number' ? 1 : 3, value });
    this.emit({
      name: 'DeviceStateChangedEvent',
      deviceURL: url,
      deviceStates: [{ name, type: typeof value === 'number' ? 1 : 3, value }],
    });
  }

  emit(event: Record<string, unknown>): void {
    for (const l of this.listeners.values()) l.events.push({ timestamp: this.now(), setupOID: 'setup-1', ...event });
  }

  private guard(req: SimRequest, handler: (req: SimRequest) => SimResponse): SimResponse {
    if (this.opts.gatewayHeader && req.headers.gatewayid !== this.opts.gatewayHeader)
      return err(400, 'UNSPECIFIED_ERROR', 'Missing or unknown gatewayId header');
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (bearer && req.headers.cookie) return err(400, 'UNSPECIFIED_ERROR', 'Cannot use JSESSIONID and bearer token');
    if (bearer && this.opts.acceptBearer)
      return this.opts.acceptBearer(bearer) ? handler(req) : err(401, 'RESOURCE_ACCESS_DENIED', 'Not authenticated');
    if (this.opts.bearer) {
      if (req.headers.authorization !== `Bearer ${this.opts.bearer}`)
        return err(401, 'RESOURCE_ACCESS_DENIED', 'Missing authorization token.');
      return handler(req);
    }
    const session = /JSESSIONID=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1];
    if (!session || !this.sessions.has(session)) return err(401, 'RESOURCE_ACCESS_DENIED', 'Not authenticated');
    return handler(req);
  }

  private gatewayOk(pin: string): boolean {
    return pin === (this.opts.gatewayId ?? '0000-1111-2222');
  }

  private generateToken(req: SimRequest): SimResponse {
    if (!this.gatewayOk(req.params[0])) return err(400, 'UNSPECIFIED_ERROR', 'Access denied to gateway');
    const token = randomUUID().replace(/-/g, '').slice(0, 20);
    this.generated.add(token);
    return { json: { token } };
  }

  /** Activation takes a generated token with a label and the "devmode" scope, as the app sends it. */
  private activateToken(req: SimRequest): SimResponse {
    const body = req.json as { label?: unknown; token?: unknown; scope?: unknown } | undefined;
    if (!this.gatewayOk(req.params[0])) return err(400, 'UNSPECIFIED_ERROR', 'Access denied to gateway');
    if (typeof body?.token !== 'string' || !this.generated.has(body.token) || body.scope !== 'devmode' || typeof body.label !== 'string')
      return err(400, 'UNSPECIFIED_ERROR', 'Invalid token');
    this.localTokens.add(body.token);
    return { json: { requestId: randomUUID() } };
  }

  private login(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const fault = this.opts.loginFault;
    if (fault) return { status: fault.status, body: Buffer.from(fault.body), headers: { 'content-type': 'application/json' } };
    if (req.headers.authorization) return err(400, 'UNSPECIFIED_ERROR', 'Cannot use JSESSIONID and bearer token');
    const jwt = form.get('jwt');
    const byJwt = jwt !== null && this.opts.acceptJwt?.(jwt) === true;
    if (!byJwt && (form.get('userId') !== this.opts.userId || form.get('userPassword') !== this.opts.password))
      return err(401, 'AUTHENTICATION_ERROR', 'Bad credentials');
    const session = randomUUID().replace(/-/g, '').toUpperCase();
    this.sessions.add(session);
    return {
      json: { success: true, roles: [{ name: 'ENDUSER' }] },
      headers: { 'set-cookie': `JSESSIONID=${session}; Path=/enduser-mobile-web; Secure; HttpOnly` },
    };
  }

  private fetch(req: SimRequest): SimResponse {
    const id = req.params[0];
    const l = this.listeners.get(id);
    if (!l || this.now() - l.fetchedAt > (this.opts.listenerTtlMs ?? 10 * 60_000)) {
      this.listeners.delete(id);
      return err(400, 'UNSPECIFIED_ERROR', l ? 'No registered event listener.' : `Invalid event listener id : ${id}`);
    }
    l.fetchedAt = this.now();
    const events = l.events;
    l.events = [];
    return { json: events };
  }

  private cancel(req: SimRequest): SimResponse {
    const execId = req.params[0];
    this.cancelled.push(execId);
    this.running.delete(execId);
    this.emit({
      name: 'ExecutionStateChangedEvent',
      execId,
      oldState: 'IN_PROGRESS',
      newState: 'FAILED',
      failureType: 'CMDCANCELLED',
      timeToNextState: -1,
    });
    return { status: 204, text: '' };
  }

  private runGroup(req: SimRequest): SimResponse {
    const oid = req.params[0];
    if (!(this.opts.actionGroups ?? []).some((g) => g.oid === oid))
      return err(400, 'NO_SUCH_ACTION_GROUP', `No such action group : ${oid}`);
    const execId = randomUUID();
    this.scenarioRuns.push(oid);
    this.emit({ name: 'ExecutionStateChangedEvent', execId, oldState: 'TRANSMITTED', newState: 'COMPLETED', timeToNextState: -1 });
    return { json: { execId } };
  }

  override async stop(): Promise<void> {
    for (const t of this.travels) clearTimeout(t);
    this.travels.clear();
    await super.stop();
  }

  /** A cover moving to `value` of `state`: MovingState now, the position and COMPLETED after `travelMs`. */
  private travel(url: string, state: string, value: number, done: () => void): void {
    const ms = this.opts.travelMs ?? 0;
    if (ms <= 0) {
      this.setState(url, state, value);
      done();
      return;
    }
    this.setState(url, 'core:MovingState', true);
    const timer = setTimeout(() => {
      this.travels.delete(timer);
      this.setState(url, state, value);
      this.setState(url, 'core:MovingState', false);
      done();
    }, ms);
    this.travels.add(timer);
  }

  private apply(req: SimRequest, highPriority = false): SimResponse {
    const body = req.json as
      { actions?: Array<{ deviceURL: string; commands: Array<{ name: string; parameters?: unknown[] }> }> } | undefined;
    const actions = body?.actions ?? [];
    const urls = actions.map((a) => a.deviceURL);
    if (new Set(urls).size !== urls.length) return err(400, 'DUPLICATE_FIELD_OR_VALUE', 'Only one action per device in an action group');
    if (this.running.size >= (this.opts.execQueueSize ?? 10))
      return err(
        400,
        'EXEC_QUEUE_FULL',
        `Execution queue is full on gateway: #${this.opts.gatewayId ?? '0000-1111-2222'} (soft limit: 10)`,
      );
    const execId = randomUUID();
    this.running.add(execId);
    this.executions.push({
      execId,
      ...(highPriority ? { highPriority } : {}),
      actions: actions.map((a) => ({
        deviceURL: a.deviceURL,
        commands: a.commands.map((c) => ({ name: c.name, parameters: c.parameters ?? [] })),
      })),
    });
    this.emit({ name: 'ExecutionStateChangedEvent', execId, oldState: 'INITIALIZED', newState: 'IN_PROGRESS', timeToNextState: 1 });
    const failed = actions.filter((a) => this.opts.broken?.[a.deviceURL] || this.lockRefuses(a.deviceURL, highPriority));
    for (const a of failed) if (!this.opts.broken?.[a.deviceURL]) this.refusedByLock.add(a.deviceURL);
    let waiting = 1;
    const completed = () => {
      if (--waiting > 0) return;
      this.running.delete(execId);
      if (failed.length === 0)
        this.emit({ name: 'ExecutionStateChangedEvent', execId, oldState: 'IN_PROGRESS', newState: 'COMPLETED', timeToNextState: -1 });
    };
    for (const a of actions.filter((x) => !failed.includes(x))) {
      for (const c of a.commands) {
        waiting++;
        this.perform(a.deviceURL, c.name, c.parameters ?? [], completed);
      }
    }
    if (failed.length) {
      this.emit({
        name: 'ExecutionStateChangedEvent',
        execId,
        oldState: 'IN_PROGRESS',
        newState: 'FAILED',
        timeToNextState: -1,
        failureType: this.failureOf(failed[0].deviceURL),
        failedCommands: failed.map((a, rank) => ({
          deviceURL: a.deviceURL,
          rank,
          failureType: this.failureOf(a.deviceURL),
          detailedStatus: { type: 'generic-error', message: 'device did not answer', error: true },
        })),
      });
    }
    completed();
    return { json: { execId } };
  }

  private readonly refusedByLock = new Set<string>();

  private failureOf(url: string): string | undefined {
    return this.opts.broken?.[url] ?? (this.refusedByLock.has(url) ? 'CMDCANCELLED' : undefined);
  }

  /**
   * A device under a priority lock refuses ordinary executions; /exec/apply/highPriority passes a user or comfort lock,
   * never a protection lock (wind, rain, security).
   */
  private lockRefuses(url: string, highPriority: boolean): boolean {
    const states = this.device(url)?.states ?? [];
    const level = states.find((s) => s.name === 'io:PriorityLockLevelState')?.value;
    const timer = Number(states.find((s) => s.name === 'core:PriorityLockTimerState')?.value ?? 0);
    if (level === undefined && !(timer > 0)) return false;
    if (level === 'humanProtection' || level === 'environmentProtection') return true;
    return !highPriority;
  }

  /** What a command does to the device's states (immediately; real devices take seconds). */
  private perform(url: string, name: string, params: unknown[], done: () => void): void {
    const n = typeof params[0] === 'number' ? params[0] : undefined;
    switch (name) {
      case 'setClosure':
        if (n !== undefined) return this.travel(url, 'core:ClosureState', n, done);
        break;
      case 'open':
        return this.travel(url, 'core:ClosureState', 0, done);
      case 'close':
        return this.travel(url, 'core:ClosureState', 100, done);
      case 'setDeployment':
        if (n !== undefined) return this.travel(url, 'core:DeploymentState', n, done);
        break;
      case 'setOrientation':
        if (n !== undefined) this.setState(url, 'core:SlateOrientationState', n);
        break;
      case 'on':
      case 'off':
        this.setState(url, 'core:OnOffState', name);
        break;
      case 'setIntensity':
        if (n !== undefined) {
          this.setState(url, 'core:LightIntensityState', n);
          this.setState(url, 'core:OnOffState', n > 0 ? 'on' : 'off');
        }
        break;
      case 'setTargetTemperature':
        if (n !== undefined) this.setState(url, 'core:TargetTemperatureState', n);
        break;
      case 'setOperatingMode':
        this.setState(url, 'core:OperatingModeState', params[0]);
        break;
      case 'setHeatingLevel':
        this.setState(url, 'io:TargetHeatingLevelState', params[0]);
        this.setState(url, 'core:TargetHeatingLevelState', params[0]);
        break;
      case 'setDerogation':
        if (n !== undefined) {
          this.setState(url, 'core:DerogatedTargetTemperatureState', n);
          this.setState(url, 'core:TargetTemperatureState', n);
        } else {
          this.setState(url, 'io:CurrentHeatingModeState', params[0]);
          this.setState(url, 'io:DerogationHeatingModeState', params[0]);
        }
        this.setState(url, 'core:OperatingModeState', 'manual');
        break;
      case 'exitDerogation':
        this.setState(url, 'core:OperatingModeState', 'auto');
        break;
      case 'setPassAPCOperatingMode':
        this.setState(url, 'io:PassAPCOperatingModeState', params[0]);
        break;
      case 'setHeatingOnOffState':
      case 'setCoolingOnOffState':
        this.setState(url, `core:${name.slice(3, 10)}OnOffState`, params[0]);
        break;
      case 'setHeatingTargetTemperature':
      case 'setCoolingTargetTemperature':
        this.setState(url, `core:${name.slice(3, 10)}TargetTemperatureState`, n);
        break;
      case 'setAirDemandMode':
        this.setState(url, 'io:AirDemandModeState', params[0]);
        break;
      case 'globalControl': {
        const [power, target, fan, mode, swing, leave] = params;
        this.setState(url, 'hlrrwifi:MainOperationState', power);
        this.setState(url, 'core:TargetTemperatureState', target);
        this.setState(url, 'hlrrwifi:FanSpeedState', fan);
        this.setState(url, 'hlrrwifi:ModeChangeState', mode);
        this.setState(url, 'hlrrwifi:SwingState', swing);
        this.setState(url, 'hlrrwifi:LeaveHomeState', leave);
        break;
      }
      case 'setCurrentOperatingMode':
        this.setState(url, 'core:OperatingModeState', params[0]);
        break;
      case 'setTargetAlarmMode':
        this.setState(url, 'internal:TargetAlarmModeState', params[0]);
        this.setState(url, 'internal:CurrentAlarmModeState', params[0]);
        break;
      case 'setHueAndSaturation':
        this.setState(url, 'core:ColorHueState', params[0]);
        this.setState(url, 'core:ColorSaturationState', params[1]);
        break;
      case 'setColorTemperature':
        this.setState(url, 'core:ColorTemperatureState', params[0]);
        break;
      case 'lock':
      case 'unlock':
        this.setState(url, 'core:LockedUnlockedState', name === 'lock' ? 'locked' : 'unlocked');
        break;
    }
    done();
  }
}

/**
 * Demo: a house on a TaHoma: 12 shutters, 2 awnings, a garage door, 5 lights (one colour), 2 plugs, 3 setpoint
 * heaters, a pilot-wire heater, a valve, hot water, an alarm, a heat pump, a ventilation unit, 6 sensors, 2 scenarios.
 */
export function demoOverkiz(userId: string, password: string): OverkizSimOptions {
  const gw = '1234-5678-9012';
  let n = 0;
  const device = (
    label: string,
    uiClass: string,
    widget: string,
    states: Record<string, unknown>,
    commands: string[],
    /** Values a state may take, as real definitions declare them (heating levels, alarm modes). */
    declared: Record<string, string[]> = {},
    /** A sub-device "#k" of the previous device's base URL (a part of one appliance), instead of a new device. */
    part?: number,
  ): OverkizDevice => ({
    deviceURL: part === undefined ? `io://${gw}/${1000 + ++n}` : `io://${gw}/${1000 + n}#${part}`,
    label,
    controllableName: `io:${widget}IOComponent`,
    widget,
    uiClass,
    available: true,
    enabled: true,
    type: commands.length ? 1 : 2,
    definition: {
      // "name/6": a command with 6 parameters (1 by default)
      commands: commands.map((c) => ({ commandName: c.split('/')[0], nparams: Number(c.split('/')[1] ?? 1) })),
      states: Object.keys(states).map((qualifiedName) => ({
        qualifiedName,
        ...(declared[qualifiedName] ? { values: declared[qualifiedName] } : {}),
      })),
      widgetName: widget,
      uiClass,
    },
    states: Object.entries(states).map(([name, value]) => ({ name, type: typeof value === 'number' ? 1 : 3, value })),
    attributes: [
      { name: 'core:Manufacturer', type: 3, value: 'Somfy' },
      // Real io shutters report their firmware; most other demo devices, like many real ones, do not.
      ...(uiClass === 'RollerShutter' ? [{ name: 'core:FirmwareRevision', type: 3, value: '5.10.3' }] : []),
    ],
  });
  const rooms = [
    'Kitchen',
    'Living room',
    'Dining room',
    'Office',
    'Bedroom 1',
    'Bedroom 2',
    'Bedroom 3',
    'Bathroom',
    'Hall',
    'Playroom',
    'Guest room',
    'Library',
  ];
  const shutter = ['open', 'close', 'stop', 'my', 'setClosure'];
  const devices = [
    ...rooms.map((room, i) =>
      device(
        `${room} shutter`,
        'RollerShutter',
        'PositionableRollerShutter',
        { 'core:ClosureState': (i * 37) % 101, 'core:MovingState': false },
        shutter,
      ),
    ),
    device('Terrace awning', 'Awning', 'PositionableHorizontalAwning', { 'core:DeploymentState': 0 }, [
      'deploy',
      'undeploy',
      'stop',
      'setDeployment',
    ]),
    device('Balcony awning', 'Awning', 'PositionableHorizontalAwning', { 'core:DeploymentState': 60 }, [
      'deploy',
      'undeploy',
      'stop',
      'setDeployment',
    ]),
    device('Garage door', 'GarageDoor', 'PositionableGarageDoor', { 'core:ClosureState': 100 }, ['open', 'close', 'stop', 'setClosure']),
    device('Kitchen light', 'Light', 'DimmerLight', { 'core:OnOffState': 'on', 'core:LightIntensityState': 80 }, [
      'on',
      'off',
      'setIntensity',
    ]),
    device('Living room lamp', 'Light', 'DimmerLight', { 'core:OnOffState': 'off', 'core:LightIntensityState': 40 }, [
      'on',
      'off',
      'setIntensity',
    ]),
    device('Porch light', 'Light', 'StatefulOnOffLight', { 'core:OnOffState': 'off' }, ['on', 'off']),
    device('Garden light', 'Light', 'StatefulOnOffLight', { 'core:OnOffState': 'off' }, ['on', 'off']),
    device('Coffee machine', 'OnOff', 'StatefulOnOffPlug', { 'core:OnOffState': 'off' }, ['on', 'off']),
    device('Pool pump', 'OnOff', 'StatefulOnOff', { 'core:OnOffState': 'on' }, ['on', 'off']),
    // Heating as the real Atlantic and Somfy definitions declare it (shared/fixtures/overkiz setup_cozytouch_4, setup_3_gateways).
    ...['Bathroom heater', 'Office heater', 'Bedroom heater'].map((label, i) =>
      device(
        label,
        'HeatingSystem',
        'AtlanticElectricalHeaterWithAdjustableTemperatureSetpoint',
        { 'core:TargetTemperatureState': 19 + i, 'core:TemperatureState': 18.5 + i, 'core:OperatingModeState': 'basic' },
        ['setTargetTemperature', 'setOperatingMode', 'setHeatingLevel', 'off'],
      ),
    ),
    device(
      'Hall radiator',
      'HeatingSystem',
      'AtlanticElectricalHeater',
      { 'io:TargetHeatingLevelState': 'eco', 'core:TargetHeatingLevelState': 'eco', 'core:OnOffState': 'on' },
      ['setHeatingLevel', 'off'],
      { 'core:TargetHeatingLevelState': ['boost', 'comfort', 'comfort-1', 'comfort-2', 'eco', 'frostprotection', 'off'] },
    ),
    device(
      'Playroom valve',
      'HeatingSystem',
      'ValveHeatingTemperatureInterface',
      {
        'core:OperatingModeState': 'auto',
        'core:TargetTemperatureState': 19,
        'core:DerogatedTargetTemperatureState': 19,
        'core:MinSetpointState': 5,
        'core:MaxSetpointState': 26,
        'core:BatteryLevelState': 83,
      },
      ['setDerogation', 'exitDerogation'],
    ),
    device(
      'Water heater',
      'WaterHeatingSystem',
      'DomesticHotWaterProduction',
      {
        'core:TemperatureState': 52,
        'core:TargetTemperatureState': 55,
        'core:OperatingModeState': { relaunch: 'off', absence: 'off' },
        'io:OperatingModeCapabilitiesState': { relaunch: 1, absence: 1 },
      },
      ['setTargetTemperature', 'setCurrentOperatingMode'],
    ),
    device(
      'Water heater energy',
      'ElectricitySensor',
      'CumulativeElectricPowerConsumptionSensor',
      { 'core:ElectricEnergyConsumptionState': 1_779_095, 'core:ElectricPowerConsumptionState': 1200 },
      [],
      {},
      2,
    ),
    device(
      'House alarm',
      'Alarm',
      'TSKAlarmController',
      { 'internal:CurrentAlarmModeState': 'off', 'internal:TargetAlarmModeState': 'off', 'internal:IntrusionDetectedState': 'notDetected' },
      ['setTargetAlarmMode', 'alarmOn', 'alarmOff', 'alarmPartial1', 'alarmPartial2'],
      { 'internal:CurrentAlarmModeState': ['off', 'partial1', 'partial2', 'total'] },
    ),
    device(
      'Lounge colour lamp',
      'Light',
      'DimmerHueSatOrCTLight',
      {
        'core:OnOffState': 'on',
        'core:LightIntensityState': 70,
        'core:ColorHueState': 30,
        'core:ColorSaturationState': 60,
        'core:ColorTemperatureState': 2700,
      },
      ['on', 'off', 'setIntensity', 'setHueAndSaturation', 'setColorTemperature'],
    ),
    // As the real Hi Kumo and Cozytouch definitions declare them (setup_hi_kumo_8_gateways, setup_cozytouch_4).
    device(
      'Bedroom air conditioner',
      'HitachiHeatingSystem',
      'HitachiAirToAirHeatPump',
      {
        'hlrrwifi:MainOperationState': 'off',
        'hlrrwifi:ModeChangeState': 'heating',
        'hlrrwifi:FanSpeedState': 'auto',
        'hlrrwifi:SwingState': 'stop',
        'hlrrwifi:LeaveHomeState': 'off',
        'hlrrwifi:RoomTemperatureState': 21,
        'core:TargetTemperatureState': 22,
      },
      ['globalControl/6'],
      {
        'hlrrwifi:FanSpeedState': ['auto', 'high', 'low', 'medium', 'silent'],
        'hlrrwifi:ModeChangeState': ['auto', 'autoCooling', 'autoHeating', 'circulator', 'cooling', 'dehumidify', 'fan', 'heating'],
        'hlrrwifi:SwingState': ['both', 'horizontal', 'stop', 'vertical'],
      },
    ),
    device(
      'Ventilation',
      'VentilationSystem',
      'AtlanticHeatRecoveryVentilation',
      { 'io:AirDemandModeState': 'auto', 'core:AirDemandState': 40 },
      ['setAirDemandMode'],
      { 'io:AirDemandModeState': ['auto', 'away', 'boost', 'high'] },
    ),
    device('Outdoor temperature', 'TemperatureSensor', 'TemperatureSensor', { 'core:TemperatureState': 7.5 }, []),
    device('Cellar humidity', 'HumiditySensor', 'RelativeHumiditySensor', { 'core:RelativeHumidityState': 68 }, []),
    device('Front door', 'ContactSensor', 'ContactSensor', { 'core:ContactState': 'closed' }, []),
    device('Hall motion', 'OccupancySensor', 'MotionSensor', { 'core:OccupancyState': 'noPersonInside' }, []),
    device('Attic smoke', 'SmokeSensor', 'SmokeSensor', { 'core:SmokeState': 'notDetected' }, []),
    device('Laundry leak', 'WaterDetectionSensor', 'WaterDetectionSensor', { 'core:WaterDetectionState': 'notDetected' }, []),
  ];
  return {
    userId,
    password,
    gatewayId: gw,
    devices,
    actionGroups: [
      { oid: 'a1b2c3d4-0001-4e5f-8a9b-000000000001', label: 'Good morning' },
      { oid: 'a1b2c3d4-0002-4e5f-8a9b-000000000002', label: 'Good night' },
    ],
  };
}

/** An account of `n` roller shutters ("Shutter 001"...), copies of the demo's first one: scale tests and the bench. */
export function demoCovers(n: number, userId: string, password: string, gateway = '4321-8765-2109'): OverkizSimOptions {
  const demo = demoOverkiz(userId, password);
  const model = demo.devices.find((d) => d.uiClass === 'RollerShutter')!;
  const devices = Array.from({ length: n }, (_, i) => ({
    ...structuredClone(model),
    deviceURL: `io://${gateway}/${5000 + i}`,
    label: `Shutter ${String(i + 1).padStart(3, '0')}`,
  }));
  return { ...demo, devices, actionGroups: [] };
}

/** Demo mode: a house with covers that take time to move, lights, heaters, sensors and scenarios. */
export async function startOverkizDemo(): Promise<VendorDemo> {
  const options = demoOverkiz('home@example.org', 'demo-overkiz-password');
  const sim = new OverkizSimulator({ ...options, travelMs: 4000 });
  const url = await sim.start();
  const account = {
    label: 'Demo house',
    server: 'custom',
    baseUrl: url,
    username: options.userId,
    password: options.password,
    exposeScenarios: true,
    heatingLevelSwitches: true,
  };
  return { account, url, requests: () => sim.server.requests.length, stop: () => sim.stop() };
}
