/** dns-packet ships no types; the tests encode and decode whole packets only. */
declare module 'dns-packet' {
  interface Packet {
    type?: 'query' | 'response';
    answers?: object[];
    additionals?: object[];
  }
  const dnsPacket: { encode(p: Packet): Buffer; decode(b: Buffer): Packet };
  export default dnsPacket;
}
