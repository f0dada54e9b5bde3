import type { LogFields, Logger } from './logger';

type LogMethod = (first: unknown, second?: unknown) => void;

/** What tells a pino logger apart: its level table, its bindings and its level check. */
interface PinoShaped {
  readonly levels: object;
  bindings(): object;
  isLevelEnabled(level: string): boolean;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  child(bindings: object): PinoShaped;
}

function isPinoShaped(logger: Logger): logger is Logger & PinoShaped {
  const candidate = logger as Partial<PinoShaped>;
  return (
    typeof candidate.levels === 'object' &&
    typeof candidate.bindings === 'function' &&
    typeof candidate.isLevelEnabled === 'function'
  );
}

/** Errors as their name, message and stack: JSON would write an Error as {}. */
function serializable(fields: LogFields): LogFields {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (!(value instanceof Error)) continue;
    copy ??= { ...fields };
    copy[key] = { type: value.name, message: value.message, stack: value.stack };
  }
  return copy ?? fields;
}

/** pino's call shape is `info(fields, message)`; streamwise calls `info(message, fields)`. */
class PinoLogger implements Logger {
  readonly #pino: PinoShaped;

  constructor(pino: PinoShaped) {
    this.#pino = pino;
  }

  debug(message: string, fields?: LogFields): void {
    this.#write(this.#pino.debug, message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#write(this.#pino.info, message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#write(this.#pino.warn, message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#write(this.#pino.error, message, fields);
  }
  child(bindings: LogFields): Logger {
    return new PinoLogger(this.#pino.child(bindings));
  }

  #write(method: LogMethod, message: string, fields: LogFields | undefined): void {
    if (fields === undefined) method.call(this.#pino, message);
    else method.call(this.#pino, serializable(fields), message);
  }
}

/**
 * The logger as streamwise calls it: a pino logger (pino's own or fastify's) is wrapped so its
 * fields land as fields, not as printf arguments; any other Logger is returned as it is.
 */
export function adaptLogger(logger: Logger): Logger {
  return isPinoShaped(logger) ? new PinoLogger(logger) : logger;
}
