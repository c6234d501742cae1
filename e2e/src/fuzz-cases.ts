// Seeded generator of hostile request paths: random bytes, Unicode, broken percent-escapes, invalid UTF-8,
// huge messages, dot segments, doubled slashes, query strings, control characters. The same seed gives the
// same cases, so a failure can be replayed with FUZZ_SEED=<seed>.

export interface FuzzCase {
  kind: string
  /** Appended to the route prefix (/get/send/ or /api2/send/), or the whole path when `wholePath`. */
  bytes: Buffer
  wholePath: boolean
  /** HTTP/1.0 without a Host header. */
  http10: boolean
}

/** mulberry32: a tiny, fast, seedable PRNG; plenty for test inputs. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Random = () => number
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1))
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]
const ascii = (text: string) => Buffer.from(text, 'latin1')

function percentEncodeBytes(bytes: Uint8Array, random: Random): string {
  return [...bytes]
    .map((byte) => {
      const hex = byte.toString(16).padStart(2, '0')
      return `%${random() < 0.5 ? hex.toUpperCase() : hex}`
    })
    .join('')
}

/** Ranges of Unicode scalar values with a reputation: combining marks, RTL, emoji, zero-width, specials. */
const CODE_POINT_RANGES: readonly [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x300, 0x36f],
  [0x5d0, 0x5ea],
  [0x600, 0x6ff],
  [0x900, 0x97f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x4e00, 0x4fff],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffd],
  [0xe000, 0xe0ff],
  [0x1f1e6, 0x1f1ff],
  [0x1f300, 0x1faff],
  [0x1f3fb, 0x1f3ff],
  [0xe0020, 0xe007f],
  [0x10fff0, 0x10ffff],
]
const ZWJ = 0x200d

function randomUnicode(random: Random, length: number): string {
  const codePoints: number[] = []
  while (codePoints.length < length) {
    const [low, high] = pick(random, CODE_POINT_RANGES)
    codePoints.push(int(random, low, high))
    if (random() < 0.1) codePoints.push(ZWJ)
  }
  return String.fromCodePoint(...codePoints)
}

/** Percent-escapes that are broken, or decode to something that is not valid UTF-8 text. */
const BAD_ESCAPES = [
  '%',
  '%%',
  '%G1',
  '%1',
  '%1G',
  '%zz',
  '%FF',
  '%80',
  '%C3',
  '%C3%',
  '%E0%A4%A',
  '%C0%AF',
  '%C0%80',
  '%E0%80%AF',
  '%F0%80%80%AF',
  '%ED%A0%80',
  '%ED%BF%BF',
  '%F4%90%80%80',
  '%F8%88%80%80%80',
  '%FE%FF',
  '%EF%BF%BE',
  '%00',
  '%2F',
  '%5C',
  '%25',
  '%252E%252E',
  '%u0041',
  '%C3%28',
] as const

const DOT_SEGMENTS = [
  '.',
  '..',
  '%2e',
  '%2E%2E',
  '.%2e',
  '%2e.',
  '...',
  '../health',
  '../../health',
  'a/../b',
  './x',
  'x/.',
  'x/..',
  '..%2F..%2Fhealth',
  '..%5C..%5Chealth',
] as const

const WHOLE_PATHS = [
  '/',
  '//',
  '///',
  '/get',
  '/get/',
  '/get/send',
  '/get/send/',
  '/get/send//x',
  '//get/send/x',
  '/get//send/x',
  '/get/send/x/',
  '/get/send/x/y',
  '/get/./send/x',
  '/get/send/../../health',
  '/get/send/..%2F..%2Fhealth',
  '/./health',
  '/health/',
  '/health/x',
  '//health',
  '/..',
  '/../../etc/passwd',
  '/api2/send/x',
  '/api2/send/',
  '/api2/send/../../health',
  '/get/send/x?',
  '/get/send/x??',
  '/get/send/x?a=1&b=%FF',
  '/get/send/%?%',
  '/swagger/json',
  '/get/send/x#fragment',
  '*',
  '/%2e%2e/%2e%2e/health',
  '/GET/SEND/x',
] as const

function randomQuery(random: Random): string {
  const parts = [
    '?',
    '?a=1',
    '?a=%FF',
    '?%',
    '?&&&',
    '?a=1&a=2',
    '?=',
    `?q=${percentEncodeBytes(randomBytes(random, 8), random)}`,
  ]
  return pick(random, parts)
}

function randomBytes(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => int(random, 0, 255))
}

const generators: Record<string, (random: Random) => Pick<FuzzCase, 'bytes' | 'wholePath'>> = {
  'random bytes, percent-encoded': (random) => ({
    bytes: ascii(percentEncodeBytes(randomBytes(random, int(random, 1, 64)), random)),
    wholePath: false,
  }),
  'Unicode, percent-encoded': (random) => ({
    bytes: ascii(encodeURIComponent(randomUnicode(random, int(random, 1, 40)))),
    wholePath: false,
  }),
  'Unicode, raw UTF-8 bytes': (random) => ({
    bytes: Buffer.from(randomUnicode(random, int(random, 1, 20))),
    wholePath: false,
  }),
  'raw bytes, not encoded': (random) => ({
    bytes: Buffer.from(randomBytes(random, int(random, 1, 16))),
    wholePath: false,
  }),
  'broken escapes and invalid UTF-8': (random) => {
    const around = () => (random() < 0.5 ? '' : pick(random, ['a', 'abc', 'x%20y', '%C3%A9']))
    const escapes = Array.from({ length: int(random, 1, 3) }, () => pick(random, BAD_ESCAPES))
    return { bytes: ascii(around() + escapes.join(around()) + around()), wholePath: false }
  },
  'huge message': (random) => {
    // Around the apps' limits (12,000 bytes of message, a 12,288-byte target) and past what parsers accept.
    const length = pick(random, [1000, 2000, 4000, 4097, 8000, 12_000, 12_300, 14_000, 16_000, 70_000])
    const unit = pick(random, ['a', '%F0%9F%98%80', '%C3%A9', '.'])
    return { bytes: ascii(unit.repeat(Math.ceil(length / unit.length))), wholePath: false }
  },
  'dot segments': (random) => ({ bytes: ascii(pick(random, DOT_SEGMENTS)), wholePath: false }),
  'odd whole path': (random) => ({ bytes: ascii(pick(random, WHOLE_PATHS)), wholePath: true }),
  'query string': (random) => ({
    bytes: ascii(pick(random, ['x', 'infra', '', '%FF', '..']) + randomQuery(random)),
    wholePath: false,
  }),
  // 0x00-0x1F, space and DEL, raw or percent-encoded.
  'control characters': (random) => {
    const control = pick(random, [...Array.from({ length: 33 }, (_, code) => code), 0x7f])
    const encoded = random() < 0.5
    const inserted = encoded ? ascii(`%${control.toString(16).padStart(2, '0')}`) : Buffer.from([control])
    return { bytes: Buffer.concat([ascii('ab'), inserted, ascii('cd')]), wholePath: false }
  },
  'printable ASCII soup': (random) => ({
    bytes: ascii(
      Array.from({ length: int(random, 1, 30) }, () => String.fromCharCode(int(random, 0x21, 0x7e))).join(''),
    ),
    wholePath: random() < 0.3,
  }),
}

export function generateCases(seed: number, count: number): FuzzCase[] {
  const random = seededRandom(seed)
  const kinds = Object.keys(generators)
  return Array.from({ length: count }, (_, index) => {
    // Every kind appears; then they are drawn at random.
    const kind = index < kinds.length ? kinds[index] : pick(random, kinds)
    return { kind, ...generators[kind](random), http10: random() < 0.05 }
  })
}

// RFC 9112 origin-form: "/" segments of unreserved, sub-delims, ":", "@" and %HH, then an optional query.
const ORIGIN_FORM =
  /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*(?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/
/**
 * Below every limit on the way, with room for the headers: HAProxy's 16 KiB buffer less its 1 KiB reserve for
 * rewrites, Bun's 16 KiB request head, the ALB's 16 K request line. Longer targets up to this one reach the app,
 * which must answer them (a JSON 414 beyond its own 12 KiB cap).
 */
const MAX_WELL_FORMED_TARGET = 14_336

/**
 * True when every HTTP implementation must hand this request-target to the application. Anything else may be
 * refused by HAProxy or Bun's HTTP parser before the app sees it (400/414/431 or a closed connection), as an
 * ALB would refuse it.
 */
export function isWellFormedTarget(target: Buffer): boolean {
  return target.length <= MAX_WELL_FORMED_TARGET && ORIGIN_FORM.test(target.toString('latin1'))
}

/** A printable, unambiguous form of a request-target for failure messages (long ones shortened). */
export function showTarget(target: Buffer): string {
  const text = JSON.stringify(target.toString('latin1'))
  return text.length > 160 ? `${text.slice(0, 120)}... (${target.length} bytes)` : text
}
