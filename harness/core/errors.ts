/**
 * Every failure of the harness itself (not a divergence: that is a result) is an ImpfuzzError with a
 * stable `code`, a one-line message naming the thing and the fix, and the underlying `cause`.
 */
export class ImpfuzzError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
  }
}

export class UsageError extends ImpfuzzError {
  constructor(message: string) {
    super("E_USAGE", message);
  }
}

export class BinaryNotFoundError extends ImpfuzzError {
  constructor(message: string, cause?: unknown) {
    super("E_BINARY", message, { cause });
  }
}

export class BuildError extends ImpfuzzError {
  constructor(message: string, cause?: unknown) {
    super("E_BUILD", message, { cause });
  }
}

export class ProviderStartError extends ImpfuzzError {
  constructor(message: string, cause?: unknown) {
    super("E_PROVIDER_START", message, { cause });
  }
}

export class ClusterUnreachableError extends ImpfuzzError {
  constructor(message: string, cause?: unknown) {
    super("E_UNREACHABLE", message, { cause, exitCode: 3 });
  }
}

export class ScenarioInvalidError extends ImpfuzzError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string,
    detail: string,
  ) {
    super("E_SCENARIO", `${file}${line === undefined ? "" : `:${line}`}: ${field}: ${detail}`);
  }
}

export function isImpfuzzError(e: unknown): e is ImpfuzzError {
  return e instanceof ImpfuzzError;
}
