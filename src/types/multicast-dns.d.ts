/** multicast-dns ships no types; discovery.ts describes the part it uses. */
declare module 'multicast-dns' {
  const make: (options?: object) => unknown;
  export default make;
}
