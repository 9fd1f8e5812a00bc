/**
 * A typed client over the generated types: one method per operation of the contract, named by
 * its operationId (`api.listSlots(...)`, `api.createBooking(...)`), with the path, query and body
 * each operation takes, its answer's type, and its documented errors as typed `ApiError`s.
 * It runs over any `Transport`; `wxTransport` (wx.ts) is the mini-program's.
 */
import type { components, operations } from "./generated/schema.js";
import { routes } from "./generated/routes.js";

export type OperationId = keyof typeof routes & keyof operations;
export type Schemas = components["schemas"];
/** Every stable error code the server may send. */
export type ErrorCode = Schemas["ErrorBody"]["code"];
/** Field-by-field messages of a 422 answer. */
export type FieldErrors = Schemas["FieldErrors"];

type Responses<K extends OperationId> = operations[K]["responses"];
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
type SuccessStatus<K extends OperationId> = Extract<keyof Responses<K>, 200 | 201 | 204>;
/** The statuses of the errors operation K documents. */
export type ErrorStatus<K extends OperationId> = K extends OperationId
  ? Exclude<Extract<keyof Responses<K>, number>, SuccessStatus<K>> : never;
/** What operation K answers on success. */
export type Answer<K extends OperationId> = K extends OperationId
  ? JsonOf<Responses<K>[SuccessStatus<K>]> : never;

type Parameters_<K extends OperationId> = operations[K]["parameters"];
type PathArg<K extends OperationId> = [NonNullable<Parameters_<K>["path"]>] extends [never]
  ? {} : { path: NonNullable<Parameters_<K>["path"]> };
type QueryArg<K extends OperationId> = [NonNullable<Parameters_<K>["query"]>] extends [never]
  ? {} : {} extends NonNullable<Parameters_<K>["query"]>
    ? { query?: NonNullable<Parameters_<K>["query"]> } : { query: NonNullable<Parameters_<K>["query"]> };
type BodyArg<K extends OperationId> = operations[K] extends { requestBody: { content: { "application/json": infer B } } }
  ? { body: B }
  : operations[K] extends { requestBody?: { content: { "application/json": infer B } } } ? { body?: B } : {};
type KeyArg<K extends OperationId> = (typeof routes)[K]["idempotencyKey"] extends true
  ? {
    /** Idempotency-Key: a retry with the same key gets the first answer. Creates get one made up
     * by the client when none is given, and reuse it when the transport fails and they retry. */
    idempotencyKey?: string;
  } : {};
/** What calling operation K takes. */
export type Args<K extends OperationId> = PathArg<K> & QueryArg<K> & BodyArg<K> & KeyArg<K>;

/** A documented error answer: its status, stable code, Chinese message and details. */
export class ApiError<K extends OperationId = OperationId> extends Error {
  readonly name = "ApiError";
  constructor(
    readonly operation: K,
    readonly status: ErrorStatus<K>,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The 422 answer's field-by-field messages (empty for other statuses). */
  get fieldErrors(): FieldErrors {
    return this.status === 422 ? (this.details as FieldErrors) : {};
  }
}

/** The request never got an answer (no network, timeout); it may be retried. */
export class NetworkError extends Error {
  readonly name = "NetworkError";
}

/** An answer the contract does not allow (a proxy's 502, a 500): a fault on the server side. */
export class UnexpectedAnswer extends Error {
  readonly name = "UnexpectedAnswer";
  constructor(readonly status: number, readonly body: unknown) {
    super(`服务器返回了意外的答复（HTTP ${status}）`);
  }
}

export type Result<K extends OperationId> =
  | { data: Answer<K>; error?: undefined }
  | { data?: undefined; error: ApiError<K> };

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
}
/** `body` is the parsed JSON, or undefined when the answer has none. */
export interface HttpAnswer { status: number; body: unknown }
/** Sends one request; rejects with NetworkError when no answer came. */
export type Transport = (request: HttpRequest) => Promise<HttpAnswer>;

export interface ClientOptions {
  /** Where the API is, e.g. "https://bsbb.example.gov.cn/api/v1" (the document's server). */
  baseUrl: string;
  transport: Transport;
  /** The tokens the operations need: from wechatLogin (citizen) or staffLogin (staff). */
  tokens?: { citizen?: () => string | undefined; staff?: () => string | undefined };
  /** How many times a request carrying an Idempotency-Key is sent again after a NetworkError. */
  retries?: number;
  /** Makes Idempotency-Keys (1 to 100 characters). */
  newKey?: () => string;
}

type Call<K extends OperationId> = {} extends Args<K>
  ? (args?: Args<K>) => Promise<Result<K>>
  : (args: Args<K>) => Promise<Result<K>>;
export type Client = { [K in OperationId]: Call<K> };

interface RawArgs {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  idempotencyKey?: string;
}

function defaultKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function errorParts(body: unknown): { code: ErrorCode; message: string; details: Record<string, unknown> } {
  const error = (body as { error?: { code: ErrorCode; message: string; details: Record<string, unknown> } } | undefined)?.error;
  if (!error) throw new TypeError("error answer without the error shape");
  return error;
}

export function createClient(options: ClientOptions): Client {
  const retries = options.retries ?? 1;
  const newKey = options.newKey ?? defaultKey;

  async function call(operation: OperationId, args: RawArgs = {}): Promise<Result<OperationId>> {
    const route = routes[operation];
    let url = options.baseUrl.replace(/\/$/, "") + route.path.replace(
      /\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(args.path?.[name])));
    const query = Object.entries(args.query ?? {})
      .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    if (query.length) url += `?${query.join("&")}`;

    const headers: Record<string, string> = { Accept: "application/json" };
    if (route.auth !== "none") {
      const token = options.tokens?.[route.auth]?.();
      if (token) headers["Authorization"] = `Bearer ${token}`;
    }
    const key = args.idempotencyKey ?? (route.idempotencyKey && route.create ? newKey() : undefined);
    if (key !== undefined) headers["Idempotency-Key"] = key;
    const request: HttpRequest = { method: route.method, url, headers };
    if (args.body !== undefined) {
      headers["Content-Type"] = "application/json";
      request.body = JSON.stringify(args.body);
    }

    let answer: HttpAnswer;
    for (let attempt = 0; ; attempt++) {
      try {
        answer = await options.transport(request);
        break;
      } catch (error) {
        // Only a request the server can recognise as a repeat is sent again.
        if (!(error instanceof NetworkError) || key === undefined || attempt >= retries) throw error;
      }
    }
    const success: readonly number[] = route.success;
    const errors: readonly number[] = route.errors;
    if (success.includes(answer.status)) return { data: answer.body } as Result<OperationId>;
    if (errors.includes(answer.status)) {
      const { code, message, details } = errorParts(answer.body);
      return { error: new ApiError(operation, answer.status as never, code, message, details) };
    }
    throw new UnexpectedAnswer(answer.status, answer.body);
  }

  const client: Partial<Record<OperationId, (args?: RawArgs) => Promise<Result<OperationId>>>> = {};
  for (const operation of Object.keys(routes) as OperationId[]) {
    client[operation] = (args?: RawArgs) => call(operation, args);
  }
  return client as unknown as Client;
}
