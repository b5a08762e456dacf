import type { Characteristic, HAP, Service, WithUUID } from 'homebridge';
import type { Mapper } from './spec';

type CharacteristicClass = WithUUID<new () => Characteristic>;
interface EnergyTypes {
  service: WithUUID<typeof Service>;
  total: CharacteristicClass;
  power: CharacteristicClass;
}

const eveUuid = (short: string) => `E863${short}-079E-48FF-8F27-9C2605A29F52`;
const cache = new WeakMap<HAP, EnergyTypes>();

/**
 * Eve's energy characteristics (Total Consumption kWh, Consumption W: the protocol facts Eve-compatible apps read),
 * on a service of their own next to the appliance's. Apple's Home app does not show them; the Eve app does.
 */
export function energyTypes(hap: HAP): EnergyTypes {
  const known = cache.get(hap);
  if (known) return known;
  const { Characteristic: C, Service: S, Formats, Perms } = hap;
  const make = (name: string, uuid: string, unit: string): CharacteristicClass =>
    class extends C {
      static readonly UUID = uuid;
      constructor() {
        super(name, uuid, {
          format: Formats.FLOAT,
          unit,
          minValue: 0,
          maxValue: 100_000_000,
          minStep: 0.01,
          perms: [Perms.PAIRED_READ, Perms.NOTIFY],
        });
        this.value = 0;
      }
    } as unknown as CharacteristicClass;
  const total = make('Total Consumption', eveUuid('F10C'), 'kWh');
  const power = make('Consumption', eveUuid('F10D'), 'W');
  const serviceUuid = hap.uuid.generate('homebridge-building-hub:energy');
  const service = class extends S {
    static readonly UUID = serviceUuid;
    constructor(displayName?: string, subtype?: string) {
      super(displayName, serviceUuid, subtype);
    }
  } as unknown as WithUUID<typeof Service>;
  const types = { service, total, power };
  cache.set(hap, types);
  return types;
}

export const energyMapper: Mapper<'energy'> = (hap, cap) => {
  const t = energyTypes(hap);
  return [
    {
      type: t.service,
      chars: [
        ...(cap.totalKWh === undefined ? [] : [{ type: t.total, get: (c: typeof cap) => c.totalKWh }]),
        ...(cap.powerW === undefined ? [] : [{ type: t.power, get: (c: typeof cap) => c.powerW }]),
      ],
    },
  ];
};
