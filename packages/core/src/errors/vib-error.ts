const marker = Symbol.for('vib.error');

/** Options shared by every {@link VibError}. */
export interface VibErrorOptions {
  /** The error that caused this one, if any. */
  cause?: unknown;
  /** Structured fields a program can read instead of parsing the message. */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * Base class of every error thrown by a `@vib` package.
 *
 * Messages say what was wrong, with the offending value, and what to do.
 * `VibError.isInstance` works across duplicate copies of the package.
 *
 * @example
 * ```ts
 * import { VibError } from '@vib/core';
 * try { throw new VibError('E_DEMO', 'demo failed: try again'); }
 * catch (e) { console.log(VibError.isInstance(e) && e.code); } // 'E_DEMO'
 * ```
 */
export class VibError extends Error {
  private readonly [marker] = true;
  /** The error class's stable name (`'VibError'` here; each subclass sets its own), safe under minification. */
  override readonly name: string = 'VibError';
  /** A stable machine-readable code such as `E_NO_SUCH_PLUGIN`. */
  readonly code: string;
  /** Structured fields describing the failure. */
  readonly details: Readonly<Record<string, unknown>>;

  /**
   * @param code - stable machine-readable code
   * @param message - what was wrong, with the value, and what to do
   * @param options - cause and structured details
   */
  constructor(code: string, message: string, options: VibErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /**
   * Whether `error` is a VibError, from this or any other copy of `@vib/core`.
   * @param error - anything caught
   * @returns true when it carries the VibError marker
   */
  static isInstance(error: unknown): error is VibError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
