// Whether a tenant-declared endpoint points into the platform's own network (loopback, private, link-local
// and cloud metadata addresses), which would let a tool definition reach internal services.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'

const PRIVATE_V4: Array<[number, number]> = [
  [0x7f000000, 8], [0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16], [0xa9fe0000, 16], [0x64400000, 10], [0, 8],
]

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0
}

/** True for loopback, RFC 1918, link-local, CGNAT and unspecified addresses, in either IP version. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const n = v4Number(ip)
    return PRIVATE_V4.some(([base, bits]) => (n >>> (32 - bits)) === (base >>> (32 - bits)))
  }
  const v6 = ip.toLowerCase()
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7))
  return v6 === '::1' || v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80')
}

/** Undefined when every address the host resolves to is public, else why it is refused. */
export async function checkAddress(host: string): Promise<string | undefined> {
  const bare = host.replace(/^\[|\]$/g, '')
  const addresses = isIP(bare) ? [bare] : await lookup(bare, { all: true }).then((all) => all.map((a) => a.address), () => [])
  if (addresses.length === 0) return `host ${host} does not resolve`
  const inside = addresses.find(isPrivateAddress)
  return inside ? `host ${host} resolves to the private address ${inside}` : undefined
}
