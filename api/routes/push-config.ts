import { getPushConfig, putPushConfig, type PushConfig } from '../../db/push-config.js';
import { defineRoute } from '../route.js';
import { PushConfigPut, PushConfigView } from '../schemas/push.js';

/** The signing secret is write-only: a read says only that one is set. */
const view = (c: PushConfig) => (c.provider === 'inbox' ? c : { ...c, signingSecret: c.signingSecret ? ('set' as const) : undefined });

export const pushConfigRoutes = [
  defineRoute({
    method: 'put',
    path: '/v1/accounts/{accountId}/push-config',
    summary: 'Set how pushes leave c2m: the inbox (no external call) or the brand\'s push proxy (webhook)',
    tag: 'Accounts',
    access: { roles: ['admin'] },
    body: PushConfigPut,
    responses: { 200: { description: 'Saved', schema: PushConfigView } },
    handler: ({ body, params, deps }) => {
      putPushConfig(deps.db, params.accountId!, body);
      return { status: 200, body: view(getPushConfig(deps.db, params.accountId!)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/accounts/{accountId}/push-config',
    summary: 'The push configuration (secret not shown)',
    tag: 'Accounts',
    access: { roles: ['admin'] },
    responses: { 200: { description: 'Current', schema: PushConfigView } },
    handler: ({ params, deps }) => ({ status: 200, body: view(getPushConfig(deps.db, params.accountId!)) }),
  }),
];
