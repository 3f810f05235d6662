import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApiError } from './errors.js';

/** gRPC UNAVAILABLE / DEADLINE_EXCEEDED, or a connection that never came up. */
export function isEngineUnavailable(err: unknown): boolean {
  const e = err as { code?: number; name?: string; message?: string; cause?: unknown };
  if (e?.code === 14 || e?.code === 4) return true;
  if (e?.name === 'ServiceError' || e?.name === 'TransportError') return true;
  if (/ECONNREFUSED|UNAVAILABLE|Failed to connect|DEADLINE/i.test(e?.message ?? '')) return true;
  return e?.cause !== undefined && e.cause !== err && isEngineUnavailable(e.cause);
}

/**
 * Starts a workflow for rows already written; when the engine refuses or cannot be reached the
 * rows are removed again, so a failed request leaves no trace (503 ENGINE_UNAVAILABLE).
 */
export async function startOrRollback<T>(start: () => Promise<T>, rollback: () => void): Promise<T> {
  try {
    return await start();
  } catch (err) {
    rollback();
    if (isEngineUnavailable(err)) throw new ApiError('ENGINE_UNAVAILABLE', 'the workflow engine cannot be reached; nothing was accepted');
    throw err;
  }
}

/** An Update the workflow's validator refused, or a workflow already closed: a state conflict. */
export function asConflict(err: unknown, detail: string): never {
  if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) throw new ApiError('CONFLICT', detail);
  if (isEngineUnavailable(err)) throw new ApiError('ENGINE_UNAVAILABLE', 'the workflow engine cannot be reached');
  throw err;
}
