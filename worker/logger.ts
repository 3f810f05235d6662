import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; `component` tells api, worker and supervisor apart in one stream. */
export function createLogger(component: string, level: string = process.env.C2M_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime });
}
