import { z } from 'zod';
import { AnthropicErrorSchema } from './anthropic/errors.js';
import type { RouteDef } from './route.js';
import { CONTENT_TYPES } from './validate.js';

/**
 * The OpenAPI 3.1 document, generated from the route list and the zod schemas that validate
 * each request (`z.toJSONSchema`), never written by hand.
 */

type Json = Record<string, unknown>;

const ErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .meta({ description: 'OpenAI-shaped error' });

function jsonSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

/** `/skills/:id/versions/:version` → `/skills/{id}/versions/{version}` */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const s = jsonSchema(schema);
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' ? true : required.has(name),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    schema: prop,
  }));
}

function requestBody(def: RouteDef): Json | undefined {
  if (def.method !== 'post' && def.method !== 'put') return undefined;
  const kinds = def.accepts ?? ['json'];
  const content: Json = {};
  if (kinds.includes('json')) content['application/json'] = { schema: def.body ? jsonSchema(def.body) : { type: 'object' } };
  if (kinds.includes('zip')) content[CONTENT_TYPES.zip[0]!] = { schema: { type: 'string', contentMediaType: 'application/zip' } };
  if (kinds.includes('markdown')) content[CONTENT_TYPES.markdown[0]!] = { schema: { type: 'string' } };
  return { required: def.body !== undefined && !kinds.includes('zip'), content };
}

export interface OpenApiInfo {
  title?: string;
  version: string;
  description?: string;
}

export function buildOpenApi(defs: readonly RouteDef[], info: OpenApiInfo): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const def of defs) {
    const path = openApiPath(def.path);
    const op: Json = {
      operationId: `${def.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: def.summary,
      tags: [def.tag],
      parameters: [...parameters(def.params, 'path'), ...parameters(def.query, 'query')],
      responses: {
        '200': { description: def.returns ?? 'OK' },
        default: {
          description: 'error',
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${def.errorShape === 'anthropic' ? 'AnthropicError' : 'Error'}` } } },
        },
      },
      ...(def.auth === false ? { security: [] } : {}),
    };
    const body = requestBody(def);
    if (body) op.requestBody = body;
    paths[path] = { ...paths[path], [def.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? 'autoskill', version: info.version, ...(info.description ? { description: info.description } : {}) },
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorSchema), AnthropicError: jsonSchema(AnthropicErrorSchema) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
  };
}
