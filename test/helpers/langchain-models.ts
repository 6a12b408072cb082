/**
 * TEST-ONLY LangChain chat models built on the library's own fakes. `ScriptedChatModel` answers
 * chat turns from a fixed list (and streams them character by character, as `FakeListChatModel`
 * does) but answers autoskill's extraction and maintenance prompts like a capable model, so the
 * same model can serve as chat model and extraction model. It records every input it received.
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { DECIDE_ADD_JSON, EXTRACTION_JSON, promptKind, type PromptKind } from './adapter-fixtures.js';

function systemOf(messages: BaseMessage[]): string {
  return messages
    .filter((m) => m.type === 'system')
    .map((m) => m.text)
    .join('\n');
}

export class ScriptedChatModel extends FakeListChatModel {
  readonly received: Array<{ kind: PromptKind; messages: BaseMessage[] }> = [];

  constructor(answers: string[] = ['Here is your report.']) {
    super({ responses: answers });
  }

  override async _generate(messages: BaseMessage[], options?: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    const kind = promptKind(systemOf(messages));
    this.received.push({ kind, messages });
    if (kind === 'extract') return { generations: [this._formatGeneration(EXTRACTION_JSON)] };
    if (kind === 'decide') return { generations: [this._formatGeneration(DECIDE_ADD_JSON)] };
    return super._generate(messages, options, runManager);
  }

  override async *_streamResponseChunks(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun) {
    this.received.push({ kind: promptKind(systemOf(messages)), messages });
    yield* super._streamResponseChunks(messages, options, runManager);
  }

  chatInputs(): BaseMessage[][] {
    return this.received.filter((r) => r.kind === 'chat').map((r) => r.messages);
  }
}

/** Records the messages of every chat-model run it is attached to. */
export class InputRecorder extends BaseCallbackHandler {
  name = 'InputRecorder';
  readonly inputs: BaseMessage[][] = [];
  override handleChatModelStart(_llm: unknown, messages: BaseMessage[][]): void {
    this.inputs.push(...messages);
  }
}
