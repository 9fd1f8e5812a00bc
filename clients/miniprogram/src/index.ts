export {
  ApiError, NetworkError, UnexpectedAnswer, createClient,
  type Answer, type Args, type Client, type ClientOptions, type ErrorCode, type ErrorStatus,
  type FieldErrors, type HttpAnswer, type HttpRequest, type OperationId, type Result, type Schemas,
  type Transport,
} from "./client.js";
export { wxTransport, type WxLike, type WxRequestOptions, type WxRequestSuccess } from "./wx.js";
export { routes } from "./generated/routes.js";
export type { components, operations, paths } from "./generated/schema.js";
