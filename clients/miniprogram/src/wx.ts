/**
 * The transport of the mini-program: WeChat's `wx.request` (the runtime has no fetch).
 * `WxLike` is the part of `wx` it uses, so the real `wx` and a test's fake both fit.
 */
import { NetworkError, type HttpRequest, type Transport } from "./client.js";

export interface WxRequestSuccess { statusCode: number; data: unknown; header: Record<string, string> }
export interface WxRequestOptions {
  url: string;
  method: "OPTIONS" | "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "TRACE" | "CONNECT";
  header: Record<string, string>;
  data?: string;
  dataType: "json";
  responseType: "text";
  timeout?: number;
  success(result: WxRequestSuccess): void;
  fail(error: { errMsg: string }): void;
}
export interface WxLike { request(options: WxRequestOptions): unknown }

/** The methods wx.request sends; PATCH is not among them. */
const WX_METHODS = new Set<string>(["GET", "POST", "PUT", "DELETE"]);

export function wxTransport(wx: WxLike, options: { timeout?: number } = {}): Transport {
  return (request: HttpRequest) => new Promise((resolve, reject) => {
    if (!WX_METHODS.has(request.method)) {
      reject(new TypeError(`wx.request 不支持 ${request.method} 方法`));
      return;
    }
    const wxOptions: WxRequestOptions = {
      url: request.url,
      method: request.method as WxRequestOptions["method"],
      header: request.headers,
      dataType: "json",
      responseType: "text",
      success: ({ statusCode, data }) =>
        resolve({ status: statusCode, body: data === "" ? undefined : data }),
      fail: ({ errMsg }) => reject(new NetworkError(`网络请求失败：${errMsg}`)),
    };
    if (request.body !== undefined) wxOptions.data = request.body;
    if (options.timeout !== undefined) wxOptions.timeout = options.timeout;
    wx.request(wxOptions);
  });
}
