import type { z } from 'zod';

export const ERROR_CODES = {
  INVALID_REQUEST: 400,
  UNSUPPORTED_CONTENT: 400,
  CHANNEL_CONFLICT: 400,
  CHANNEL_NOT_SUPPORTED: 400,
  TOO_MANY_CONSUMERS: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  ENGINE_UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof ERROR_CODES;

const TITLES: Record<ApiErrorCode, string> = {
  INVALID_REQUEST: 'Invalid request',
  UNSUPPORTED_CONTENT: 'Unsupported message content',
  CHANNEL_CONFLICT: 'Conflicting channels',
  CHANNEL_NOT_SUPPORTED: 'Channel not supported',
  TOO_MANY_CONSUMERS: 'Too many consumers',
  UNAUTHENTICATED: 'Unauthenticated',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RATE_LIMITED: 'Rate limited',
  INTERNAL: 'Internal error',
  ENGINE_UNAVAILABLE: 'Engine unavailable',
};

export interface FieldError {
  path: string;
  message: string;
}

/** Thrown anywhere in a handler; the one error middleware renders it as problem+json. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = ERROR_CODES[code];
  }

  toProblem() {
    return {
      type: `https://c2m.dev/problems/${this.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLES[this.code],
      status: this.status,
      detail: this.message,
      code: this.code,
      errors: this.errors,
    };
  }
}

export const notFound = (what = 'resource') => new ApiError('NOT_FOUND', `${what} not found`);

/** zod refinement params that give a 400 its domain code: `.refine(fn, withCode('UNSUPPORTED_CONTENT', '…'))`. */
export function withCode(code: ApiErrorCode, message: string) {
  return { message, params: { apiCode: code } };
}

export function issueCode(issue: z.core.$ZodIssue): ApiErrorCode {
  const params = (issue as { params?: { apiCode?: ApiErrorCode } }).params;
  return params?.apiCode ?? 'INVALID_REQUEST';
}

/** Every zod issue as one entry; an unknown key becomes one entry per key, at its own path. */
export function fieldErrors(error: z.ZodError, prefix: (string | number)[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath([...base, key]), message: 'unknown field' }));
    }
    return [{ path: joinPath(base), message: issue.message }];
  });
}

export function joinPath(parts: (string | number)[]): string {
  return parts.length === 0 ? '(body)' : parts.join('.');
}
