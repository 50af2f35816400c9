/**
 * Meta-shaped Graph API errors (meta-platform.md §6): `{error:{message,type,code,error_subcode,
 * fbtrace_id}}`. Messages follow the wording Meta uses so that anyone reading a log recognises
 * them; callers must classify by code/subcode, never by message.
 */
export interface MetaErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: unknown;
  fbtrace_id?: string;
}

/** Thrown by route handlers; the server turns it into the HTTP answer. */
export class GraphFail extends Error {
  constructor(
    readonly status: number,
    readonly body: MetaErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

const oauth = 'OAuthException';

export const tokenSubcodeMessages: Record<number, string> = {
  458: 'Error validating access token: The user has not authorized application {app}.',
  459: 'Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.',
  460: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  463: 'Error validating access token: Session has expired on {when}. The current time is {now}.',
  464: 'Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.',
  467: 'Error validating access token: The session is invalid because the user logged out.',
  // Meta's text for 492 was not in the stored copies; this wording follows its meaning (lost Page role).
  492: 'Error validating access token: The session is invalid because the user is no longer an admin of the Page.',
};

export const fail = {
  invalidToken: () =>
    new GraphFail(400, {
      message: 'Invalid OAuth access token - Cannot parse access token',
      type: oauth,
      code: 190,
    }),
  tokenSubcode: (subcode: number, vars: Record<string, string> = {}) => {
    let message = tokenSubcodeMessages[subcode] ?? 'Error validating access token.';
    for (const [k, v] of Object.entries(vars)) message = message.replace(`{${k}}`, v);
    return new GraphFail(400, { message, type: oauth, code: 190, error_subcode: subcode });
  },
  noToken: () =>
    new GraphFail(400, {
      message: 'An access token is required to request this resource.',
      type: oauth,
      code: 104,
    }),
  needsUserContext: () =>
    new GraphFail(400, {
      message: 'An active access token must be used to query information about the current user.',
      type: oauth,
      code: 2500,
    }),
  /** Unknown object, or one this token may not see: Meta answers the same way for both. */
  noObject: (id: string, method = 'get') =>
    new GraphFail(400, {
      message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    }),
  unknownPath: (path: string) =>
    new GraphFail(400, { message: `Unknown path components: /${path}`, type: oauth, code: 2500 }),
  param: (message: string, subcode?: number) =>
    new GraphFail(400, {
      message: `(#100) ${message}`,
      type: oauth,
      code: 100,
      ...(subcode ? { error_subcode: subcode } : {}),
    }),
  unknownField: (field: string, node: string) =>
    new GraphFail(400, {
      message: `(#100) Tried accessing nonexisting field (${field}) on node type (${node})`,
      type: oauth,
      code: 100,
    }),
  pageTokenRequired: () =>
    new GraphFail(400, {
      message: '(#210) A page access token is required to request this resource.',
      type: oauth,
      code: 210,
    }),
  permission: (perm: string) =>
    new GraphFail(403, {
      message: `(#200) Requires ${perm} permission to manage the object`,
      type: oauth,
      code: 200,
    }),
  appPermission: () =>
    new GraphFail(403, {
      message: '(#10) Application does not have permission for this action',
      type: oauth,
      code: 10,
    }),
  tooMuchData: () =>
    new GraphFail(500, {
      message: "Please reduce the amount of data you're asking for, then retry your request",
      type: oauth,
      code: 1,
      is_transient: true,
    }),
  transient: (status = 500) =>
    new GraphFail(status, {
      message: 'An unexpected error has occurred. Please retry your request later.',
      type: oauth,
      code: 2,
      is_transient: true,
    }),
};

/** Default messages for throttling codes; a fault only needs to name the code. */
export const rateLimitMessages: Record<number, string> = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80001:
    '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  80002:
    '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  80005:
    '(#80005) There have been too many leadgen api calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  80006:
    '(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  80008:
    '(#80008) There have been too many calls to this WhatsApp Business account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
};

/** WhatsApp Cloud API codes (meta-platform.md §5): title, and details for error_data. */
export const whatsappErrors: Record<number, [string, string]> = {
  130429: ['Rate limit hit', 'Cloud API message throughput has been reached.'],
  131026: [
    'Message undeliverable',
    'Unable to deliver message: the recipient is not on WhatsApp, uses an old version, or has not accepted the terms.',
  ],
  131047: [
    'Re-engagement message',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  ],
  131048: [
    'Spam rate limit hit',
    'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
  ],
  131049: [
    'This message was not delivered to maintain healthy ecosystem engagement.',
    'Meta chose not to deliver this marketing message.',
  ],
  131056: [
    '(Business Account, Consumer Account) pair rate limit hit',
    'Too many messages sent from this phone number to the same recipient in a short period.',
  ],
  132000: [
    'Number of parameters does not match the expected number of params',
    'The template parameters do not match the template.',
  ],
  132001: [
    'Template name does not exist in the translation',
    'The template does not exist in this language or is not approved.',
  ],
  133010: ['Account not registered', 'The phone number is not registered on the Cloud API.'],
};

export function isRateLimitCode(code: number): boolean {
  return (
    code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80000 && code <= 80014)
  );
}

/** Fills in type/message/status for a partial error given to a fault switch. */
export function completeError(partial: Partial<MetaErrorBody> & { code: number }): {
  status: number;
  body: MetaErrorBody;
} {
  const code = partial.code;
  let message = partial.message;
  if (!message) {
    if (code === 190)
      message =
        tokenSubcodeMessages[partial.error_subcode ?? -1] ?? 'Error validating access token.';
    else if (isRateLimitCode(code))
      message = rateLimitMessages[code] ?? `(#${code}) Rate limit reached`;
    else if (code === 200) message = '(#200) Permissions error';
    else if (code === 10) message = '(#10) Application does not have permission for this action';
    else if (code === 100) message = '(#100) Invalid parameter';
    else if (code === 1 || code === 2)
      message = 'An unexpected error has occurred. Please retry your request later.';
    else if (whatsappErrors[code]) message = `(#${code}) ${whatsappErrors[code][0]}`;
    else message = `(#${code}) Error`;
  }
  const status =
    code === 1 || code === 2 ? 500 : code === 10 || (code >= 200 && code <= 299) ? 403 : 400;
  const body: MetaErrorBody = { message, type: partial.type ?? oauth, code };
  if (partial.error_subcode !== undefined) body.error_subcode = partial.error_subcode;
  if (isRateLimitCode(code) || code === 1 || code === 2) body.is_transient = true;
  if (partial.is_transient !== undefined) body.is_transient = partial.is_transient;
  if (partial.error_user_title) body.error_user_title = partial.error_user_title;
  if (partial.error_user_msg) body.error_user_msg = partial.error_user_msg;
  if (partial.error_data !== undefined) body.error_data = partial.error_data;
  else if (whatsappErrors[code])
    body.error_data = { messaging_product: 'whatsapp', details: whatsappErrors[code][1] };
  return { status, body };
}

let traceCounter = 0;
export function traceId(): string {
  traceCounter++;
  // Meta's fbtrace_id is an opaque 11-character token; ours is a scrambled counter.
  const n = Math.imul(traceCounter, 0x9e3779b1) >>> 0;
  return 'A' + n.toString(36).padStart(7, 'x') + 'Sim' + (traceCounter % 36).toString(36);
}
