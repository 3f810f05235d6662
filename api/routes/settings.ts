import { getAccount, updateAccountSettings } from '../../db/accounts.js';
import { deleteIdpConfig, getIdpConfig, putIdpConfig, type IdpConfigRow } from '../../db/idp.js';
import { notFound } from '../errors.js';
import { defineRoute } from '../route.js';
import { iso } from '../schemas/common.js';
import { AccountSettings, AccountSettingsPatch, IdpConfig, IdpConfigPut } from '../schemas/settings.js';

const admin = { roles: ['admin'] } as const;
const IDP = '/v1/accounts/{accountId}/idp';
const SETTINGS = '/v1/accounts/{accountId}/settings';

const idpView = (c: IdpConfigRow) => ({ issuer: c.issuer, audience: c.audience, jwksUrl: c.jwksUrl, publicKeyPem: c.publicKeyPem, updatedAt: iso(c.updatedAt)! });

function settingsView(accountId: string, row: ReturnType<typeof getAccount>) {
  if (!row) throw notFound('account');
  return { accountId, name: row.name, defaultSkill: row.defaultSkill, welcomeMessage: row.welcomeMessage };
}

export const settingsRoutes = [
  defineRoute({
    method: 'put',
    path: IDP,
    summary: 'Set the identity provider whose consumer JWTs the consumer endpoints accept',
    tag: 'Accounts',
    access: admin,
    body: IdpConfigPut,
    responses: { 200: { description: 'Saved', schema: IdpConfig } },
    handler: ({ body, params, deps }) => {
      const row = putIdpConfig(deps.db, params.accountId!, {
        issuer: body.issuer,
        audience: body.audience,
        jwksUrl: body.jwksUrl ?? null,
        publicKeyPem: body.publicKeyPem ?? null,
      });
      return { status: 200, body: idpView(row) };
    },
  }),
  defineRoute({
    method: 'get',
    path: IDP,
    summary: 'The identity provider configuration',
    tag: 'Accounts',
    access: admin,
    responses: { 200: { description: 'Current', schema: IdpConfig } },
    handler: ({ params, deps }) => {
      const row = getIdpConfig(deps.db, params.accountId!);
      if (!row) throw notFound('identity provider configuration');
      return { status: 200, body: idpView(row) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: IDP,
    summary: 'Remove the identity provider: consumer JWTs are refused from then on',
    tag: 'Accounts',
    access: admin,
    responses: { 204: { description: 'Removed' } },
    handler: ({ params, deps }) => {
      if (!deleteIdpConfig(deps.db, params.accountId!)) throw notFound('identity provider configuration');
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: SETTINGS,
    summary: "The account's routing defaults",
    tag: 'Accounts',
    access: admin,
    responses: { 200: { description: 'Current', schema: AccountSettings } },
    handler: ({ params, deps }) => ({ status: 200, body: settingsView(params.accountId!, getAccount(deps.db, params.accountId!)) }),
  }),
  defineRoute({
    method: 'patch',
    path: SETTINGS,
    summary: 'Change the default skill (conversations outside every lookback) or the welcome message',
    tag: 'Accounts',
    access: admin,
    body: AccountSettingsPatch,
    responses: { 200: { description: 'Updated', schema: AccountSettings } },
    handler: ({ body, params, deps }) => ({ status: 200, body: settingsView(params.accountId!, updateAccountSettings(deps.db, params.accountId!, body)) }),
  }),
];
