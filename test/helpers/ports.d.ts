/** See ports.js: a loopback port free for TCP and UDP (HAP and Matter), below the ephemeral range. */
export function freePort(): Promise<number>;
