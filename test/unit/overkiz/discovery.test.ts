import dnsPacket from 'dns-packet';
import { discoverGateways, gatewaysIn, KIZBOX_SERVICE } from '../../../src/integrations/overkiz/local/discovery';

/** A TaHoma's answer to `_kizboxdev._tcp` as developer mode describes it: PTR, SRV on 8443, TXT with the PIN, A. */
const answer = (pin: string, address: string) => {
  const instance = `gateway-${pin}.${KIZBOX_SERVICE}`;
  const host = `gateway-${pin}.local`;
  return {
    type: 'response' as const,
    answers: [{ name: KIZBOX_SERVICE, type: 'PTR' as const, data: instance }],
    additionals: [
      { name: instance, type: 'SRV' as const, data: { port: 8443, target: host } },
      { name: instance, type: 'TXT' as const, data: ['api_version=1', `gateway_pin=${pin}`, 'fw_version=2024.6.5-12'] },
      { name: host, type: 'A' as const, data: address },
    ],
  };
};

describe('finding the gateway on the LAN (mDNS _kizboxdev._tcp)', () => {
  it('reads PIN, host, port and address from an answer as it comes off the wire', () => {
    const wire = dnsPacket.decode(dnsPacket.encode(answer('1234-5678-9012', '192.168.1.20')));
    const records = [...(wire.answers ?? []), ...(wire.additionals ?? [])] as Array<{ name: string; type: string; data: unknown }>;
    expect(gatewaysIn(records)).toEqual([
      { pin: '1234-5678-9012', host: 'gateway-1234-5678-9012.local', port: 8443, address: '192.168.1.20' },
    ]);
  });

  it('ignores other services and instances without a PIN', () => {
    const other = answer('1111-2222-3333', '10.0.0.2');
    other.answers[0].name = '_hap._tcp.local';
    const noPin = answer('4444-5555-6666', '10.0.0.3');
    noPin.additionals[1].data = ['api_version=1'];
    expect(gatewaysIn([...other.answers, ...other.additionals, ...noPin.answers, ...noPin.additionals])).toEqual([]);
  });

  it('asks the LAN and collects the answer of a responder (on loopback)', async () => {
    const make = (await import('multicast-dns')).default as unknown as (o: object) => {
      on(e: 'query', l: (q: { questions: Array<{ name: string }> }) => void): void;
      respond(r: object): void;
      destroy(): void;
    };
    const responder = make({ loopback: true });
    responder.on('query', (q) => {
      if (q.questions.some((x) => x.name === KIZBOX_SERVICE)) responder.respond(answer('1234-5678-9012', '127.0.0.1'));
    });
    try {
      const found = await discoverGateways(1500);
      expect(found).toEqual([{ pin: '1234-5678-9012', host: 'gateway-1234-5678-9012.local', port: 8443, address: '127.0.0.1' }]);
    } finally {
      responder.destroy();
    }
  });
});
