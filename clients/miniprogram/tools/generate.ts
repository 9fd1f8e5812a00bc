/**
 * Generates the kit's types (openapi-typescript) and its route table from the OpenAPI document
 * the server serves. `npm run generate` serves the demo, fetches /api/v1/openapi.json and writes
 * src/generated/; the tests regenerate in memory and fail when the committed files differ.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

export const GENERATED_DIR = fileURLToPath(new URL("../../src/generated/", import.meta.url));

const BANNER = "// 由 tools/generate.ts 从服务端 /api/v1/openapi.json 生成，请勿手改；服务端接口变更后运行 npm run generate。\n";

interface OperationObject {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ in: string; name: string }>;
  responses: Record<string, unknown>;
}

export type OpenAPIDocument = { paths: Record<string, Record<string, OperationObject>> } & Record<string, unknown>;

const METHODS = ["get", "post", "put", "patch", "delete"];

function routeTable(document: OpenAPIDocument): string {
  const lines: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const scheme = Object.keys(operation.security?.[0] ?? {})[0];
      const auth = scheme === undefined ? "none" : scheme.replace(/Auth$/, "");
      const statuses = Object.keys(operation.responses).map(Number);
      const success = statuses.filter((status) => status < 300);
      const errors = statuses.filter((status) => status >= 400);
      const idempotencyKey = (operation.parameters ?? []).some(
        (p) => p.in === "header" && p.name === "Idempotency-Key");
      lines.push(`  ${operation.operationId}: { method: "${method.toUpperCase()}", path: "${path}", ` +
        `auth: "${auth}", idempotencyKey: ${idempotencyKey}, create: ${success.includes(201)}, ` +
        `success: [${success.join(", ")}], errors: [${errors.join(", ")}] },`);
    }
  }
  return `${BANNER}
/** Each operation of the contract: how to call it, and the statuses it may answer. */
export const routes = {
${lines.join("\n")}
} as const;
`;
}

/** The generated files, by name, for this document. */
export async function generate(document: OpenAPIDocument): Promise<Record<string, string>> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return {
    "schema.ts": BANNER + astToString(ast),
    "routes.ts": routeTable(document),
  };
}

/** Names of the committed generated files that differ from what `document` generates now. */
export async function stale(document: OpenAPIDocument): Promise<string[]> {
  const out: string[] = [];
  for (const [name, text] of Object.entries(await generate(document))) {
    const committed = await readFile(GENERATED_DIR + name, "utf8").catch(() => "");
    if (committed !== text) out.push(name);
  }
  return out;
}

async function main(): Promise<void> {
  const { startDemoServer } = await import("../test/server.js");
  const server = await startDemoServer();
  try {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenAPIDocument;
    for (const [name, text] of Object.entries(await generate(document))) {
      await writeFile(GENERATED_DIR + name, text);
      console.log(`wrote src/generated/${name}`);
    }
  } finally {
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
