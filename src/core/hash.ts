/**
 * A streaming 64-bit hash (two independent 32-bit FNV-1a lanes) for the simulation's `traceHash`.
 * Numbers are fed as their exact decimal text, so any difference in any event changes the hash.
 */
export class TraceHasher {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;
  private count = 0;

  /** Feeds one value (number or string) into the hash, followed by a separator. */
  add(value: number | string): this {
    if (typeof value === 'number' && (value | 0) === value && value >= 0) return this.addSmallInt(value);
    const text = typeof value === 'number' ? numberText(value) : value;
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x01000193) ^ (b >>> 15);
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.count++;
    return this;
  }

  /**
   * add() of an integer in [0, 2^31): the same characters as its decimal text, digit by digit, without making
   * the string (the hot path: times, uids and indices).
   */
  private addSmallInt(value: number): this {
    const digits = this.digits;
    let n = value;
    let k = 0;
    do {
      digits[k++] = 48 + (n % 10);
      n = (n / 10) | 0;
    } while (n > 0);
    let a = this.a;
    let b = this.b;
    while (k > 0) {
      const c = digits[--k];
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x01000193) ^ (b >>> 15);
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.count++;
    return this;
  }

  private readonly digits = new Uint8Array(10);

  /** Number of values fed so far. */
  get length(): number {
    return this.count;
  }

  /** The hash as 16 hex digits. */
  digest(): string {
    return hex8(this.a) + hex8(this.b);
  }
}

function numberText(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(17);
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
