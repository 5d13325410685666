// Which IP addresses a fetched knowledge page may live at: public unicast only. Loopback, private,
// link-local (the cloud metadata service), carrier-grade NAT, multicast and reserved ranges are refused;
// for IPv6, anything outside global unicast (2000::/3) except IPv4-mapped public addresses.

const V4_BLOCKED: Array<[number, number]> = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0000200, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xc6336400, 24], [0xcb007100, 24], [0xe0000000, 3],
]

function v4Number(address: string): number | undefined {
  const parts = address.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0
}

function isPublicV4(address: string): boolean {
  const n = v4Number(address)
  if (n === undefined) return false
  return !V4_BLOCKED.some(([base, bits]) => (n >>> (32 - bits)) === (base >>> (32 - bits)))
}

function isPublicV6(address: string): boolean {
  const a = address.toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)
  if (mapped) return isPublicV4(mapped[1]!)
  // Global unicast is 2000::/3; everything else (loopback, unique local, link-local, multicast) is not public.
  const first = a.startsWith('::') ? 0 : Number.parseInt(a.split(':')[0]!, 16)
  return (first & 0xe000) === 0x2000
}

/** True for a public unicast IPv4 or IPv6 address. */
export function isPublicAddress(address: string): boolean {
  return address.includes(':') ? isPublicV6(address) : isPublicV4(address)
}
