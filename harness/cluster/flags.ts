/**
 * Command-line flags as data (controller-runtime's `Arguments`): components start from defaults,
 * callers set, append or disable single flags, and only launch renders them. Keeps "which flags does
 * this apiserver get" reviewable in one place and shared between providers.
 */
export class Flags {
  private readonly values = new Map<string, string[]>();

  constructor(defaults: Record<string, string | readonly string[]> = {}) {
    for (const [k, v] of Object.entries(defaults)) this.set(k, v);
  }

  set(name: string, value: string | readonly string[]): this {
    this.values.set(name, typeof value === "string" ? [value] : [...value]);
    return this;
  }

  append(name: string, value: string): this {
    this.values.set(name, [...(this.values.get(name) ?? []), value]);
    return this;
  }

  disable(name: string): this {
    this.values.delete(name);
    return this;
  }

  get(name: string): readonly string[] | undefined {
    return this.values.get(name);
  }

  /** Every flag with its values, in insertion order. */
  entries(): [string, readonly string[]][] {
    return [...this.values.entries()];
  }

  /** `--name=value`, one per value, in insertion order. */
  render(): string[] {
    const out: string[] = [];
    for (const [k, vs] of this.values) for (const v of vs) out.push(`--${k}=${v}`);
    return out;
  }
}
