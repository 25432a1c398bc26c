import { z } from 'zod';
import { ERROR_CODES } from '../core/errors.js';
import { deployResultSchema } from '../core/schema/result.js';
import * as inputs from '../service/inputs.js';

type Json = Record<string, unknown>;
const schema = (s: z.ZodType, io: 'input' | 'output' = 'input'): Json =>
  z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
const json = (s: Json) => ({ 'application/json': { schema: s } });

const errorSchema = schema(
  z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]),
    message: z.string(),
    errors: z.array(z.string()).optional(),
  }),
);
const errors = Object.fromEntries(
  [
    ['400', 'invalid input: the message names the field'],
    ['401', 'no bearer token, or an unknown one'],
    ['403', 'the role may not do this, or four eyes (E_SELF_APPROVAL)'],
    ['404', 'no such deploy or flag'],
    ['409', "the environment's lock is held, or the deploy is not in a state for this verb"],
  ].map(([status, description]) => [status, { description, content: json(errorSchema) }]),
);
const result = json(schema(z.object({ deploy_result: deployResultSchema }), 'output'));
const accepted = json(schema(z.object({ deploy_id: z.string() })));
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'a deploy id or a unique prefix',
};

function queryParams(s: z.ZodObject): Json[] {
  return Object.entries(s.shape).map(([name, field]) => ({
    name,
    in: 'query',
    schema: schema(field as z.ZodType),
  }));
}

function op(summary: string, role: string, extra: Json, ok: Json, status = '200'): Json {
  return {
    summary: `${summary} (role: ${role})`,
    ...extra,
    responses: { [status]: { description: 'OK', content: ok }, ...errors },
  };
}
const body = (s: z.ZodType) => ({ requestBody: { required: true, content: json(schema(s)) } });
const any = json({});

/**
 * /api/openapi.json: every route of the API, its request from the zod schemas the service
 * validates with (service/inputs.ts) and the deploy_result from the one `status` prints.
 */
export function openApiDocument(): Json {
  const follow = (verb: string, role: string, input: z.ZodType) => ({
    post: op(`${verb} a deploy`, role, { parameters: [idParam], ...body(input) }, result),
  });
  return {
    openapi: '3.1.0',
    info: { title: 'cutover serve', version: '0.1.0' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/api/deploys': {
        get: op('list deploys, newest first', 'viewer', { parameters: queryParams(inputs.listInput) }, any),
        post: op(
          'start a deploy; answers once it is journaled',
          'deployer',
          body(inputs.deployInput),
          accepted,
          '202',
        ),
      },
      '/api/deploys/{id}': {
        get: op("a deploy's deploy_result", 'viewer', { parameters: [idParam] }, result),
      },
      '/api/deploys/{id}/log': {
        get: op("a deploy's journal rows", 'viewer', { parameters: [idParam] }, any),
      },
      '/api/deploys/{id}/timeline': {
        get: op('steps with durations', 'viewer', { parameters: [idParam] }, any),
      },
      '/api/deploys/{id}/analysis': {
        get: op('analysis numbers per observation', 'viewer', { parameters: [idParam] }, any),
      },
      '/api/deploys/{id}/approve': {
        post: op(
          'approve a manual deploy: starts its follow-up deploy',
          'approver',
          { parameters: [idParam], ...body(inputs.approveInput) },
          accepted,
          '202',
        ),
      },
      '/api/deploys/{id}/reject': {
        post: op('reject a manual deploy', 'approver', { parameters: [idParam] }, any),
      },
      '/api/deploys/{id}/promote': follow('promote', 'deployer', inputs.noInput),
      '/api/deploys/{id}/abort': follow('abort', 'deployer', inputs.abortInput),
      '/api/deploys/{id}/rollback': follow('roll back', 'deployer', inputs.rollbackInput),
      '/api/submit': { post: op('queue a changeset', 'deployer', body(inputs.submitInput), any, '201') },
      '/api/plan': {
        post: op('the plan of a deploy; changes nothing', 'deployer', body(inputs.deployInput), any),
      },
      '/api/traffic': { get: op('what serves each environment, with weights', 'viewer', {}, any) },
      '/api/flags': { get: op('every flag in every environment', 'viewer', {}, any) },
      '/api/flags/{name}': {
        get: op('one flag', 'viewer', {}, any),
        put: op("set a flag's state in one environment", 'admin', body(inputs.flagSetInput), any),
      },
      '/api/lock': {
        get: op(
          'who holds each lock',
          'viewer',
          { parameters: [{ name: 'environment', in: 'query', schema: { type: 'string' } }] },
          any,
        ),
      },
      '/api/whoami': { get: op("the caller's name and role", 'viewer', {}, any) },
      '/api/audit': { get: op('audit verify: the hash chain and its anchors', 'viewer', {}, any) },
      '/api/events': {
        get: op(
          'journal rows as Server-Sent Events; Last-Event-ID resumes',
          'viewer',
          { parameters: queryParams(inputs.eventsInput) },
          { 'text/event-stream': { schema: { type: 'string' } } },
        ),
      },
    },
  };
}
