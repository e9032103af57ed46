/** Number encodings for GGUF tensor data: IEEE half floats, Q8_0 and Q4_0 blocks, and a seeded PRNG for weights. */

/** Q8_0: an f16 scale d = max|x| / 127, then 32 int8 quants with x ≈ q * d. */
export function quantizeBlockQ8_0(values: ArrayLike<number>, out: Buffer, offset: number): void {
  let amax = 0;
  for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(values[j]!));
  const d = amax / 127;
  const inverse = d === 0 ? 0 : 1 / d;
  out.writeUInt16LE(float32ToFloat16Bits(d), offset);
  for (let j = 0; j < 32; j++) out.writeInt8(Math.round(values[j]! * inverse), offset + 2 + j);
}

/**
 * Q4_0: an f16 scale d, then 16 bytes whose low nibbles hold elements 0..15 and high nibbles 16..31, with
 * x ≈ (q - 8) * d. d is the value of largest magnitude over -8, so that value is represented exactly.
 */
export function quantizeBlockQ4_0(values: ArrayLike<number>, out: Buffer, offset: number): void {
  let extreme = 0;
  for (let j = 0; j < 32; j++) if (Math.abs(values[j]!) > Math.abs(extreme)) extreme = values[j]!;
  const d = extreme / -8;
  const inverse = d === 0 ? 0 : 1 / d;
  out.writeUInt16LE(float32ToFloat16Bits(d), offset);
  const quant = (x: number) => Math.max(0, Math.min(15, Math.floor(x * inverse + 8.5)));
  for (let j = 0; j < 16; j++) out[offset + 2 + j] = quant(values[j]!) | (quant(values[j + 16]!) << 4);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE half-precision bits of a number, rounded to nearest even (Node 20 has no Float16Array). */
export function float32ToFloat16Bits(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: shift the full 24-bit significand down, rounding to nearest even.
    if (halfExponent < -10) return sign;
    const significand = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let half = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = sign | (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return half;
}

export function float16BitsToFloat32(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** xoshiro128** seeded through splitmix32: fast, deterministic, good enough for weights. */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const splitmix = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix();
    this.s1 = splitmix();
    this.s2 = splitmix();
    this.s3 = splitmix() | 1; // never an all-zero state
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [-1, 1). */
  nextSigned(): number {
    return this.nextUint32() / 2 ** 31 - 1;
  }

  /** The same sequence as repeated nextUint32(), with the state kept in locals for speed. */
  fillWords(words: Uint32Array): void {
    let { s0, s1, s2, s3 } = this;
    for (let i = 0; i < words.length; i++) {
      words[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A stable 32-bit seed from a base seed and a name (FNV-1a), so each tensor gets its own stream. */
export function seedFor(baseSeed: number, name: string): number {
  let h = (0x811c9dc5 ^ baseSeed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
