/** The product served on loopback for the tests (test/serve_demo.py), with the demo's logins. */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL("../../test/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export interface DemoServer {
  url: string;
  staff: Record<string, string>; // username → password, made by seed-demo
  stop(): Promise<void>;
}

/** Starts the server with the project's virtualenv (BANBAN_PYTHON overrides the interpreter). */
export function startDemoServer(): Promise<DemoServer> {
  const python = process.env["BANBAN_PYTHON"] ?? `${ROOT}.venv/bin/python`;
  const child = spawn(python, [`${HERE}serve_demo.py`], { stdio: ["pipe", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`serve_demo.py exited (${code}):\n${log}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const { url, staff } = JSON.parse(line) as { url: string; staff: Record<string, string> };
      resolve({
        url, staff,
        async stop() {
          child.stdin.end(); // the server shuts down when its stdin closes
          await exited;
        },
      });
    });
  });
}
