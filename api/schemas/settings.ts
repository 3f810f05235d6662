import { parsePublicKeyPem } from '../consumer-jwt.js';
import { isPlainText, Label, z } from './common.js';

function isPublicKeyPem(pem: string): boolean {
  // createPublicKey would also accept a private key (deriving its public half): refuse to store one.
  if (!/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(pem)) return false;
  try {
    return parsePublicKeyPem(pem).type === 'public';
  } catch {
    return false;
  }
}

export const IdpConfigPut = z
  .strictObject({
    issuer: Label(1024),
    audience: Label(1024),
    jwksUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    publicKeyPem: z.string().max(16_384).refine(isPublicKeyPem, { message: 'not a PEM public key (SPKI) or certificate' }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.jwksUrl === undefined) === (v.publicKeyPem === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['jwksUrl'], message: "give exactly one of 'jwksUrl' and 'publicKeyPem'" });
    }
  })
  .openapi('IdpConfigPut');

export const IdpConfig = z
  .object({ issuer: z.string(), audience: z.string(), jwksUrl: z.string().nullable(), publicKeyPem: z.string().nullable(), updatedAt: z.string() })
  .openapi('IdpConfig');

export const AccountSettingsPatch = z
  .strictObject({
    defaultSkill: Label().optional().describe('Where conversations outside every lookback go.'),
    welcomeMessage: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .refine(isPlainText, { message: 'plain text and emoji only' })
      .nullable()
      .optional()
      .describe('Shown when a conversation is not the answer to an outbound message; null for none.'),
  })
  .openapi('AccountSettingsPatch');

export const AccountSettings = z
  .object({ accountId: z.string(), name: z.string(), defaultSkill: z.string(), welcomeMessage: z.string().nullable() })
  .openapi('AccountSettings');
