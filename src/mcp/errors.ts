import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ZodError } from 'zod';
import { AutoskillError, LearnerError, type Logger } from '../engine/index.js';
import { UnauthenticatedError } from './context.js';

/**
 * Errors as MCP sees them. A tool never throws at the client: domain failures become a tool
 * result with `isError: true` and a message the model can act on (fix the argument, pick another
 * skill). Resources and prompts have no such result type, so they raise JSON-RPC errors.
 */

/** JSON-RPC code the MCP spec uses for an unknown resource. */
export const RESOURCE_NOT_FOUND = -32002;
export const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

export type ErrorKind = 'not_found' | 'forbidden' | 'invalid' | 'conflict' | 'too_large' | 'unauthenticated' | 'internal';

export interface DescribedError {
  kind: ErrorKind;
  message: string;
}

const ADVICE: Partial<Record<ErrorKind, string>> = {
  not_found: 'Check the id (search_skills or list_skills show the ids you can use).',
  forbidden: 'Common skills are read-only; copy the content into a new skill of your own with save_skill (no id) instead.',
  conflict: 'The skill changed meanwhile; read it again with get_skill and retry.',
};

export function describeError(err: unknown): DescribedError {
  if (LearnerError.isInstance(err)) return { kind: 'invalid', message: err.message };
  if (AutoskillError.isInstance(err)) {
    const kind: ErrorKind = err.code === 'io' ? 'internal' : err.code;
    return { kind, message: err.message };
  }
  if (err instanceof UnauthenticatedError) return { kind: 'unauthenticated', message: err.message };
  if (err instanceof ZodError) {
    return { kind: 'invalid', message: err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
  }
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/** A tool result that tells the model what went wrong; internal details go to the log only. */
export function toolError(err: unknown, logger?: Logger, tool?: string): CallToolResult {
  const d = describeError(err);
  if (d.kind === 'internal') logger?.error('mcp tool failed', { tool, error: d.message });
  const message = d.kind === 'internal' ? 'internal error; see the server log' : d.message;
  const advice = ADVICE[d.kind];
  return {
    content: [{ type: 'text', text: `Error (${d.kind}): ${message}${advice ? `\n${advice}` : ''}` }],
    isError: true,
  };
}

/** A tool error for an argument problem the schema cannot express (e.g. "one of a or b"). */
export function invalidArgument(message: string): CallToolResult {
  return { content: [{ type: 'text', text: `Error (invalid): ${message}` }], isError: true };
}

/** The JSON-RPC error for a failed resource read or prompt. */
export function protocolError(err: unknown, logger?: Logger, notFoundCode = RESOURCE_NOT_FOUND): McpError {
  if (err instanceof McpError) return err;
  const d = describeError(err);
  if (d.kind === 'not_found') return new McpError(notFoundCode, d.message);
  if (d.kind === 'internal') {
    logger?.error('mcp request failed', { error: d.message });
    return new McpError(INTERNAL_ERROR, 'internal error; see the server log');
  }
  return new McpError(INVALID_PARAMS, d.message);
}
