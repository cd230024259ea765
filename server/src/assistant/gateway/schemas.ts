import { z } from 'zod';

/**
 * The OpenAI request bodies the gateway reads. Fields it uses are checked; the other fields of
 * OpenAI's API (tools, response_format, seed…) are passed on as they are; anything else is
 * dropped: servers such as vLLM accept their own knobs in the same body (chat templates, guided
 * decoding, processors) that no client of the gateway should turn on an operator's model, and
 * `user` would let a client speak for someone else at the provider.
 */
const MAX_MESSAGES = 10_000;
const MAX_INPUTS = 2048;

// Text, and images only inline (`data:` URLs): an image URL would make the upstream fetch it from
// inside the operator's network.
const contentPart = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({
    type: z.literal('image_url'),
    image_url: z.looseObject({ url: z.string().startsWith('data:image/'), detail: z.enum(['auto', 'low', 'high']).optional() }),
  }),
]);

/** OpenAI's other chat fields, passed on unchecked (the upstream validates them). */
const passedOn = {
  frequency_penalty: z.unknown().optional(),
  presence_penalty: z.unknown().optional(),
  stop: z.unknown().optional(),
  seed: z.unknown().optional(),
  logit_bias: z.unknown().optional(),
  logprobs: z.unknown().optional(),
  top_logprobs: z.unknown().optional(),
  response_format: z.unknown().optional(),
  tools: z.unknown().optional(),
  tool_choice: z.unknown().optional(),
  parallel_tool_calls: z.unknown().optional(),
  reasoning_effort: z.unknown().optional(),
  functions: z.unknown().optional(),
  function_call: z.unknown().optional(),
};

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart).max(1000), z.null()]).optional(),
  name: z.string().max(256).optional(),
});

const tokenCount = z.number().int().min(1).max(10_000_000);

export const chatCompletionRequest = z.object({
  ...passedOn,
  model: z.string().min(1).max(256),
  messages: z.array(message).min(1).max(MAX_MESSAGES),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  max_tokens: tokenCount.nullish(),
  max_completion_tokens: tokenCount.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

const tokens = z.array(z.number().int().min(0)).max(1_000_000);

export const embeddingsRequest = z.object({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(z.string()).min(1).max(MAX_INPUTS), tokens.min(1), z.array(tokens.min(1)).min(1).max(MAX_INPUTS)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).max(100_000).optional(),
});
export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>;
