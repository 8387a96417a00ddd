import { z } from 'zod';

/** Stable error codes shared by the server, the CLI and the web app. */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'locked',
  'setup_done',
  'internal',
  'unavailable',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const problemIssue = z.object({
  path: z.string().describe('Where the problem is, e.g. "body.contacts[2].email" or "row 14, column amount"'),
  message: z.string(),
});
export type ProblemIssue = z.infer<typeof problemIssue>;

/** RFC 9457 problem details, the one error envelope of the API. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(errorCodes),
  detail: z.string(),
  requestId: z.string().optional(),
  issues: z.array(problemIssue).optional(),
});
export type Problem = z.infer<typeof problem>;
