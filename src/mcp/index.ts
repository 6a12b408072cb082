/**
 * autoskill/mcp: the MCP server (tools, skill resources, the use_skill prompt) and its
 * Streamable HTTP handler. `autoskill mcp` runs it over stdio; `autoskill serve` mounts the
 * HTTP handler at /mcp.
 */
export { createAutoskillMcpServer, type AutoskillMcpServerOptions } from './server.js';
export { mcpHttpHandler, type McpHttpHandler, type McpHttpOptions, type McpRequest } from './http.js';
export type { ActorResolver, McpExtra } from './context.js';
export { parseConversation } from './conversation.js';
export {
  SKILL_FILE_TEMPLATE,
  SKILL_MD_TEMPLATE,
  parseSkillUri,
  skillFileUri,
  skillUri,
  uriScopeOf,
  type SkillUriParts,
  type UriScope,
} from './uri.js';
