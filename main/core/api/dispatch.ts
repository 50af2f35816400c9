import {
  ApiError,
  apiMethods,
  isMethodName,
  type ApiErrorShape,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
  type Result,
} from '../../../shared/index';

/** The implementation of the API table: one handler per method, typed against shared/. */
export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export type Dispatch = (method: unknown, input: unknown) => Promise<Result<unknown>>;

/** Logs the full error in main (redacted by the logger); the caller only gets code + message. */
export type ErrorSink = (method: string, error: unknown) => void;

/**
 * The single entry point both transports (Electron IPC, the Node host socket) call. Validates
 * the method name and its input against the shared schemas, never throws across the edge.
 */
export function createDispatch(handlers: Handlers, onError: ErrorSink = () => {}): Dispatch {
  return async (method, input) => {
    if (!isMethodName(method)) {
      return fail({ code: 'invalid_input', message: `Unknown method: ${describe(method)}` });
    }
    const parsed = apiMethods[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      return fail({
        code: 'invalid_input',
        message: `Invalid input for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    try {
      const handler = handlers[method] as (i: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof ApiError) {
        return fail({ code: error.code, message: error.message, issues: error.issues });
      }
      onError(method, error);
      return fail({ code: 'internal', message: `${method} failed; details are in the log.` });
    }
  };
}

function fail(error: ApiErrorShape): Result<never> {
  return { ok: false, error };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
}
