// Every write endpoint in the OpenAPI document (so a new one is covered without touching this
// file) gets a burst of malformed requests built from its own body schema: wrong types, missing
// fields, huge strings, control characters, prototype-pollution keys, broken JSON, wrong media
// types. None may answer 2xx or 5xx, every answer is problem+json, and nothing is written or started.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, newAccount, startStack, type HttpResult, type Stack } from '../harness.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  maxLength?: number;
};
interface Endpoint {
  method: string;
  path: string;
  roles: string[];
  body?: Schema;
}
interface Probe {
  what: string;
  rawBody: string;
  contentType?: string;
}

const BODY_LIMIT_MB = 2;
const ROLES = ['admin', 'campaign_manager', 'ivr', 'sdk', 'agent', 'analyst'] as const;

let stack: Stack;
before(async () => {
  stack = await startStack({ env: { C2M_RATE_LIMIT_RPS: '100000', C2M_BODY_LIMIT_MB: String(BODY_LIMIT_MB) } });
});
after(() => stack?.stop());

/** A property-level view of a body schema: what every variant of a union requires, all properties. */
function shape(doc: any, s: Schema): { properties: Record<string, Schema>; required: string[]; strict: boolean } {
  const resolve = (x: Schema): Schema => (x.$ref ? resolve(doc.components.schemas[x.$ref.split('/').pop()!]) : x);
  const r = resolve(s);
  const variants = (r.oneOf ?? r.anyOf)?.map(resolve);
  if (variants) {
    const parts = variants.map((v) => shape(doc, v));
    return {
      properties: Object.assign({}, ...parts.map((p) => p.properties)),
      required: parts[0]!.required.filter((k) => parts.every((p) => p.required.includes(k))),
      strict: parts.every((p) => p.strict),
    };
  }
  const properties = Object.fromEntries(Object.entries(r.properties ?? {}).map(([k, v]) => [k, resolve(v)]));
  return { properties, required: r.required ?? [], strict: r.additionalProperties === false };
}

const typeOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
const WRONG: Record<string, unknown[]> = {
  string: [12345, true, { a: 1 }, ['x']],
  integer: ['12', 1.5, -1e308, { n: 1 }, [1]],
  number: ['NaN', 'Infinity', true, [1]],
  boolean: ['true', 0, 1, 'yes', null],
  array: ['not-an-array', { 0: 'x' }, 7],
  object: ['a string', [{}], 3, true],
};
const nest = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const CONTROL = 'a\u0000b\u0007c\u001b[31md\u007f\u009b\ud800';

/** Bodies invalid by construction: each breaks a type, a bound, or leaves a required field out. */
function bodiesFor(doc: any, body: Schema): Probe[] {
  const { properties, required, strict } = shape(doc, body);
  const json = (what: string, value: unknown): Probe => ({ what, rawBody: JSON.stringify(value) });
  const probes: Probe[] = [
    json('array instead of object', [{}]),
    json('array of bodies', [Object.fromEntries(required.map((k) => [k, 'x']))]),
    json('string', 'body'),
    json('number', 42),
    { what: 'null', rawBody: 'null' },
  ];
  if (required.length > 0) probes.push(json('empty object', {}));
  for (const [name, prop] of Object.entries(properties)) {
    // A body with only this property still lacks a required one: whatever this value, it is invalid.
    const missing = required.some((k) => k !== name);
    const types = typeOf(prop);
    if (types.length === 0 || types.includes('null')) continue; // unions: a wrong type is not certain
    for (const t of types) {
      for (const wrong of WRONG[t] ?? []) if (!types.some((u) => matches(u, wrong))) probes.push(json(`${name}: ${t} given ${JSON.stringify(wrong)}`, { [name]: wrong }));
    }
    if (types.includes('string')) {
      if (prop.maxLength !== undefined) probes.push(json(`${name}: ${prop.maxLength + 1}+ chars`, { [name]: 'x'.repeat(Math.max(prop.maxLength + 1, 200_000)) }));
      // Control characters alone are not refused in every text field (names, skills), so the body
      // is made invalid otherwise too: what is checked is that they never reach a 5xx.
      if (missing || strict) probes.push(json(`${name}: control characters`, { [name]: CONTROL, ...(missing ? {} : { unknownField: 1 }) }));
    }
    if (types.includes('array')) probes.push({ what: `${name}: 5,000-deep nesting`, rawBody: `{"${name}":${nest(5000)}}` });
    if (types.includes('object')) {
      const inner = shape(doc, prop);
      for (const [k, v] of Object.entries(inner.properties)) {
        const t = typeOf(v)[0];
        if (t && WRONG[t] && !typeOf(v).includes('null')) probes.push(json(`${name}.${k}: wrong type`, { [name]: { [k]: WRONG[t]![0] } }));
      }
    }
  }
  // Prototype pollution: JSON.parse makes these own keys; a merge that walks them would poison every object.
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    const poison = key === 'constructor' ? { prototype: { polluted: 'yes' } } : { polluted: 'yes' };
    if (strict || required.length > 0) probes.push({ what: `${key} key`, rawBody: `{"${key}":${JSON.stringify(poison)}}` });
    for (const name of Object.keys(properties).slice(0, 3)) {
      if (typeOf(properties[name]!).includes('object')) probes.push({ what: `${name}.${key} key`, rawBody: `{"${name}":{"${key}":${JSON.stringify(poison)}}}` });
    }
  }
  return probes;
}

function matches(type: string, v: unknown): boolean {
  if (type === 'integer') return Number.isInteger(v);
  if (type === 'array') return Array.isArray(v);
  if (type === 'object') return typeof v === 'object' && v !== null && !Array.isArray(v);
  return typeof v === type;
}

/** Malformed at the HTTP level: what the JSON parser or the media-type check must refuse first. */
const RAW: Probe[] = [
  { what: 'truncated JSON', rawBody: '{"name": "x"' },
  { what: 'single quotes', rawBody: "{'name': 'x'}" },
  { what: 'trailing comma', rawBody: '{"name": "x",}' },
  { what: 'bare NaN', rawBody: 'NaN' },
  { what: 'NUL bytes', rawBody: '\u0000\u0000' },
  { what: 'lone surrogate escape only', rawBody: '{"name": "\\ud800' },
  { what: 'empty body with JSON type', rawBody: ' ' },
  { what: 'text/plain', rawBody: '{"name":"x"}', contentType: 'text/plain' },
  { what: 'form encoded', rawBody: 'name=x&role=admin', contentType: 'application/x-www-form-urlencoded' },
  { what: 'multipart', rawBody: '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--', contentType: 'multipart/form-data; boundary=b' },
  { what: 'xml', rawBody: '<name>x</name>', contentType: 'application/xml' },
  { what: 'utf-16 charset', rawBody: '{"name":"x"}', contentType: 'application/json; charset=utf-16' },
  { what: 'unknown charset', rawBody: '{"name":"x"}', contentType: 'application/json; charset=klingon' },
  { what: "500,000-deep nesting", rawBody: `{"name":${"[".repeat(500_000)}${"]".repeat(500_000)}}` },
  { what: `over ${BODY_LIMIT_MB} MB`, rawBody: `{"name":"${'x'.repeat(BODY_LIMIT_MB * 1024 * 1024 + 10)}"}` },
];

function tableCounts(stack: Stack): Record<string, number> {
  const sqlite = stack.db.$client;
  const tables = sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`).all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (sqlite.prepare(`select count(*) n from "${name}"`).get() as { n: number }).n]));
}

async function workflowCount(stack: Stack): Promise<number> {
  let n = 0;
  for await (const _ of stack.app.temporal.workflow.list()) n++;
  return n;
}

describe('malformed requests on every write endpoint', () => {
  it('answer 4xx problem+json, write no row and start no workflow', async () => {
    const doc = (await http(stack, 'GET', '/openapi.json')).body;
    const endpoints: Endpoint[] = [];
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
        const roles = /Who may call: ([^.]*)\./.exec(op.description ?? '')?.[1]?.split(', ') ?? [];
        endpoints.push({ method: method.toUpperCase(), path, roles, body: op.requestBody?.content?.['application/json']?.schema });
      }
    }
    assert.ok(endpoints.length >= 10, `write endpoints found: ${endpoints.length}`);

    const { accountId, keys } = await newAccount(stack, ROLES);
    const keyFor = (e: Endpoint) => {
      if (e.roles.includes('root')) return stack.rootKey;
      const role = ROLES.find((r) => e.roles.includes(r));
      assert.ok(role, `${e.method} ${e.path}: no key for roles ${e.roles}`);
      return keys[role];
    };
    const url = (e: Endpoint) => e.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'accountId' ? accountId : `fuzz-${name}`));

    const rowsBefore = tableCounts(stack);
    const workflowsBefore = await workflowCount(stack);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const started = Date.now();
    for (const e of endpoints) {
      // Endpoints without a body schema ignore a well-formed body (DELETE, cancel), so they get only
      // what must be refused before any handler runs.
      const probes = [...(e.body ? bodiesFor(doc, e.body) : []), ...RAW];
      const answers = await Promise.all(
        probes.map(async (p) => [p, await http(stack, e.method, url(e), { key: keyFor(e), rawBody: p.rawBody, contentType: p.contentType ?? 'application/json' })] as const),
      );
      for (const [p, r] of answers) {
        sent++;
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const problem = check(r);
        if (problem) failures.push(`${e.method} ${e.path} [${p.what}]: ${problem}`);
      }
    }
    const ms = Date.now() - started;
    console.log(`malformed-bodies: ${sent} requests on ${endpoints.length} write endpoints in ${ms} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.deepEqual(failures, []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    assert.deepEqual(tableCounts(stack), rowsBefore, 'no row written');
    assert.equal(await workflowCount(stack), workflowsBefore, 'no workflow started');
  });
});

function check(r: HttpResult): string | undefined {
  if (r.status < 400 || r.status >= 500) return `status ${r.status}: ${r.text.slice(0, 200)}`;
  if (!/^application\/problem\+json/.test(r.headers.get('content-type') ?? '')) return `content-type ${r.headers.get('content-type')}`;
  if (typeof r.body !== 'object' || r.body.status !== r.status || typeof r.body.code !== 'string' || !Array.isArray(r.body.errors)) return `not a problem: ${r.text.slice(0, 200)}`;
  return undefined;
}
