import {
  createHandoff,
  deleteHandoff,
  DuplicateHandoffName,
  getHandoff,
  listHandoffs,
  updateHandoff,
  type HandoffKey,
  type HandoffRow,
  type HandoffValues,
} from '../../db/handoffs.js';
import type { Role } from '../../db/schema.js';
import type { Config } from '../../worker/config.js';
import { ApiError, notFound } from '../errors.js';
import { decodeCursor, page } from '../pagination.js';
import { defineRoute, type RouteDef } from '../route.js';
import { iso, PageQuery, problem } from '../schemas/common.js';
import { Handoff, handoffCreate, HandoffList, handoffPatch, type HandoffCreate, type HandoffPatch } from '../schemas/handoffs.js';

const WRITERS: readonly Role[] = ['campaign_manager', 'admin'];
const READERS: readonly Role[] = ['campaign_manager', 'admin', 'ivr'];
const TAG = 'Handoffs';
const COLLECTION = '/v1/accounts/{accountId}/handoffs';
const ITEM = `${COLLECTION}/{handoffId}`;


function toValues(body: HandoffCreate): HandoffValues {
  return {
    name: body.name,
    channels: body.channels,
    skill: body.skill,
    engagementName: body.engagementName ?? null,
    messageText: body.message.text,
    lookbackSeconds: body.lookbackSeconds,
    pushLoggedIn: body.pushPolicy.loggedIn,
    pushLoggedOut: body.pushPolicy.loggedOut,
  };
}

/** Only the fields the patch names; an absent field keeps its stored value, a null engagementName clears it. */
function toChanges(patch: HandoffPatch): Partial<HandoffValues> {
  const { message, pushPolicy, ...plain } = patch;
  return {
    ...plain,
    ...(message && { messageText: message.text }),
    ...(pushPolicy && { pushLoggedIn: pushPolicy.loggedIn, pushLoggedOut: pushPolicy.loggedOut }),
  };
}

function toApi(row: HandoffRow) {
  return {
    handoffId: row.id,
    name: row.name,
    channels: row.channels,
    skill: row.skill,
    engagementName: row.engagementName,
    message: { text: row.messageText },
    lookbackSeconds: row.lookbackSeconds,
    pushPolicy: { loggedIn: row.pushLoggedIn, loggedOut: row.pushLoggedOut },
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function conflictOnDuplicateName<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (err instanceof DuplicateHandoffName) throw new ApiError('CONFLICT', err.message, [{ path: 'name', message: 'already in use in this account' }]);
    throw err;
  }
}

/** Built per config: the lookback bounds in the body schemas (and so in the OpenAPI document) are configured. */
export function handoffRoutes(config: Config): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: COLLECTION,
      summary: 'Create a handoff configuration',
      tag: TAG,
      access: { roles: WRITERS },
      body: handoffCreate(config),
      responses: { 201: { description: 'Created', schema: Handoff }, 409: problem('The name is already in use in this account') },
      handler: ({ body, params, deps }) => {
        const row = conflictOnDuplicateName(() => createHandoff(deps.db, params.accountId!, toValues(body)));
        return { status: 201, body: toApi(row) };
      },
    }),
    defineRoute({
      method: 'get',
      path: COLLECTION,
      summary: 'List handoff configurations, oldest first',
      tag: TAG,
      access: { roles: READERS },
      query: PageQuery,
      responses: { 200: { description: 'One page', schema: HandoffList } },
      handler: ({ query, params, deps }) => {
        const after = decodeCursor<HandoffKey>(query.cursor, ['createdAt', 'id']);
        const rows = listHandoffs(deps.db, params.accountId!, query.limit + 1, after);
        const { items, nextCursor } = page(rows, query.limit, (r) => ({ createdAt: r.createdAt, id: r.id }));
        return { status: 200, body: { handoffs: items.map(toApi), nextCursor } };
      },
    }),
    defineRoute({
      method: 'get',
      path: ITEM,
      summary: 'Read a handoff configuration',
      tag: TAG,
      access: { roles: READERS },
      responses: { 200: { description: 'The handoff', schema: Handoff }, 404: problem('No such handoff in this account') },
      handler: ({ params, deps }) => {
        const row = getHandoff(deps.db, params.accountId!, params.handoffId!);
        if (!row) throw notFound('handoff');
        return { status: 200, body: toApi(row) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: ITEM,
      summary: 'Change some fields of a handoff configuration',
      tag: TAG,
      access: { roles: WRITERS },
      body: handoffPatch(config),
      responses: {
        200: { description: 'The updated handoff', schema: Handoff },
        404: problem('No such handoff in this account'),
        409: problem('The new name is already in use in this account'),
      },
      handler: ({ body, params, deps }) => {
        const row = conflictOnDuplicateName(() => updateHandoff(deps.db, params.accountId!, params.handoffId!, toChanges(body)));
        if (!row) throw notFound('handoff');
        return { status: 200, body: toApi(row) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: ITEM,
      summary: 'Delete a handoff configuration',
      tag: TAG,
      access: { roles: WRITERS },
      responses: { 204: { description: 'Deleted' }, 404: problem('No such handoff in this account') },
      handler: ({ params, deps }) => {
        if (!deleteHandoff(deps.db, params.accountId!, params.handoffId!)) throw notFound('handoff');
        return { status: 204 };
      },
    }),
  ];
}
