import { createAccount, createApiKey, getAccount, revokeApiKey } from '../../db/accounts.js';
import { notFound } from '../errors.js';
import { defineRoute } from '../route.js';
import { Account, AccountCreate, ApiKeyCreate, ApiKeyCreated } from '../schemas/accounts.js';

export const accountRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/accounts',
    summary: 'Create an account (a brand)',
    tag: 'Accounts',
    access: { root: true, roles: [] },
    body: AccountCreate,
    responses: { 201: { description: 'Created', schema: Account } },
    handler: ({ body, deps }) => {
      const account = createAccount(deps.db, body.name);
      return { status: 201, body: { accountId: account.id, name: account.name } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/accounts/{accountId}/api-keys',
    summary: 'Create an API key with one role; the plain key is returned once',
    tag: 'Accounts',
    access: { root: true, roles: ['admin'] },
    body: ApiKeyCreate,
    responses: { 201: { description: 'Created', schema: ApiKeyCreated } },
    handler: ({ body, params, deps }) => {
      if (!getAccount(deps.db, params.accountId!)) throw notFound('account');
      return { status: 201, body: createApiKey(deps.db, params.accountId!, body.role, body.name) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/accounts/{accountId}/api-keys/{keyId}',
    summary: 'Revoke an API key',
    tag: 'Accounts',
    access: { roles: ['admin'] },
    responses: { 204: { description: 'Revoked' } },
    handler: ({ params, deps }) => {
      if (!revokeApiKey(deps.db, params.accountId!, params.keyId!)) throw notFound('api key');
      return { status: 204 };
    },
  }),
];
