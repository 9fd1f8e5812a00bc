/**
 * A fake `wx` whose `request` does real HTTP (Node's fetch), keeping wx.request's behaviour:
 * only its methods, `success` for every HTTP status (4xx and 5xx too), `fail` only when no answer
 * came, `dataType: "json"` parsing the body when it is JSON and leaving it as text otherwise.
 */
import type { WxLike, WxRequestOptions } from "../src/wx.js";

const WX_METHODS = new Set(["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT"]);

export class FakeWx implements WxLike {
  readonly sent: WxRequestOptions[] = [];
  /** When set, the next request reaches the server but its answer is lost on the way back. */
  loseNextAnswer = false;

  request(options: WxRequestOptions): void {
    this.sent.push(options);
    if (!WX_METHODS.has(options.method)) {
      options.fail({ errMsg: `request:fail invalid method ${options.method}` });
      return;
    }
    const init: RequestInit = { method: options.method, headers: options.header };
    if (options.data !== undefined) init.body = options.data;
    const lose = this.loseNextAnswer;
    this.loseNextAnswer = false;
    fetch(options.url, init).then(async (response) => {
      const text = await response.text();
      if (lose) {
        options.fail({ errMsg: "request:fail timeout" });
        return;
      }
      let data: unknown = text;
      try { data = JSON.parse(text); } catch { /* not JSON: wx hands over the text */ }
      const header: Record<string, string> = {};
      response.headers.forEach((value, name) => { header[name] = value; });
      options.success({ statusCode: response.status, data, header });
    }, (error: Error) => options.fail({ errMsg: `request:fail ${error.message}` }));
  }
}
