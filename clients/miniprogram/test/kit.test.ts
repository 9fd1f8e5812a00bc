/**
 * The kit against the real server: the demo served on loopback (test/serve_demo.py), driven
 * through createClient + wxTransport over a fake wx that does real HTTP. Also: the committed
 * generated files match what the served document generates now, and Redocly's recommended lint
 * finds nothing in that document.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { ApiError, createClient, wxTransport, type Answer, type Client, type ErrorCode, type OperationId, type Result } from "../src/index.js";
import { stale, type OpenAPIDocument } from "../tools/generate.js";
import { FakeWx } from "./fake-wx.js";
import { startDemoServer, type DemoServer } from "./server.js";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));

let server: DemoServer;
before(async () => { server = await startDemoServer(); });
after(async () => { await server.stop(); });

function kit(wx = new FakeWx()): { api: Client; wx: FakeWx; tokens: { citizen?: string; staff?: string } } {
  const tokens: { citizen?: string; staff?: string } = {};
  const api = createClient({
    baseUrl: `${server.url}/api/v1`,
    transport: wxTransport(wx),
    tokens: { citizen: () => tokens.citizen, staff: () => tokens.staff },
  });
  return { api, wx, tokens };
}

/** Fails the test with the server's message when the call answered an error. */
function ok<K extends OperationId>(result: Result<K>): Answer<K> {
  if (result.error) assert.fail(`${result.error.status} ${result.error.code}: ${result.error.message}`);
  return result.data;
}

async function signedInCitizen(code: string) {
  const k = kit();
  const login = ok(await k.api.wechatLogin({ body: { code } }));
  k.tokens.citizen = login.token;
  return k;
}

/** The first open slot on 2026-12-01 at the district hall. */
async function aSlot(api: Client): Promise<number> {
  const slots = ok(await api.listSlots({ path: { code: "BS-HALL" }, query: { from: "2026-12-01", to: "2026-12-01" } }));
  const slot = slots.items.find((s) => s.remaining > 0 && s.kind === "regular");
  assert.ok(slot, "no open slot on 2026-12-01");
  return slot.id;
}

describe("the contract", () => {
  test("the committed generated types are what the served document generates now", async () => {
    const document = await (await fetch(`${server.url}/api/v1/openapi.json`)).json() as OpenAPIDocument;
    assert.deepEqual(await stale(document), [],
      "src/generated/ is out of date: run `npm run generate` in clients/miniprogram and commit");
  });

  test("Redocly's recommended lint finds no error and no warning in the served document", async () => {
    const redocly = `${PACKAGE}node_modules/.bin/redocly`;
    const { stdout } = await promisify(execFile)(
      redocly, ["lint", `${server.url}/api/v1/openapi.json`, "--format=json"],
      { cwd: PACKAGE, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } });
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
      totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }>;
    };
    assert.deepEqual(report.totals.errors + report.totals.warnings, 0,
      report.problems.map((p) => `${p.ruleId}: ${p.message}`).join("\n"));
  });
});

describe("the citizen flow", () => {
  test("login → places → items → slots → book → my bookings → cancel → apply for 帮办 → read it", async () => {
    const { api, tokens } = kit();
    const login = ok(await api.wechatLogin({ body: { code: "citizen-flow" } }));
    assert.equal(login.citizen.phone, null);
    tokens.citizen = login.token;
    const me = ok(await api.saveMe({ body: { name: "王秀英" } })); // POST: wx.request has no PATCH
    assert.equal(me.name, "王秀英");

    const places = ok(await api.listPlaces({ query: { level: "district" } }));
    assert.ok(places.items.some((p) => p.code === "BS-HALL"));
    const items = ok(await api.listItems({ query: { place: "BS-HALL", q: "养老" } }));
    const item = items.items.find((i) => i.code === "SB-001");
    assert.ok(item && item.help_types.includes("assist"));

    const slot = await aSlot(api);
    const booking = ok(await api.createBooking({ body: { slot, item: "SB-001", help_type: "assist", note: "需要填表指导" } }));
    assert.equal(booking.status, "booked");
    assert.match(booking.slot.start, /^\d\d:\d\d$/);
    const mine = ok(await api.listMyBookings());
    assert.deepEqual(mine.items.map((b) => b.code), [booking.code]);
    const cancelled = ok(await api.cancelBooking({ path: { code: booking.code } }));
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.cancelled_by, "citizen");

    const created = ok(await api.createCase({ body: {
      item: "SB-001", place: "BS-HALL", help_type: "assist",
      applicant: { name: "王秀英", phone: "13800138000" }, materials: ["SFZ"],
    } }));
    assert.equal(created.status, "submitted");
    const read = ok(await api.getCase({ path: { number: created.number } }));
    assert.equal(read.number, created.number);
    assert.equal(read.applicant.phone, "138****8000");
    assert.equal(read.agreement, null); // 帮办: no commission agreement
    assert.equal(read.booking, null);
    assert.deepEqual(read.timeline.map((e) => e.status), ["submitted"]);
  });
});

describe("the staff flow", () => {
  test("login → cases → one case → the day's check-in list → check-in", async () => {
    const citizen = await signedInCitizen("staff-flow");
    const today = ok(await citizen.api.listSlots({ path: { code: "BS-HALL" },
                                                  query: { from: "2026-11-30", to: "2026-11-30" } }));
    const slot = today.items.find((s) => s.remaining > 0);
    assert.ok(slot, "no open slot today");
    const booked = ok(await citizen.api.createBooking({ body: { slot: slot.id, item: "SB-001" } }));
    const created = ok(await citizen.api.createCase({ body: {
      item: "SB-001", place: "BS-HALL", help_type: "assist", applicant: { name: "李强" },
    } }));

    const { api, tokens } = kit();
    const password = server.staff["agent1"];
    assert.ok(password);
    const login = ok(await api.staffLogin({ body: { username: "agent1", password } }));
    assert.equal(login.staff.role, "agent");
    tokens.staff = login.token;

    const cases = ok(await api.listStaffCases({ query: { status: "submitted", place: "BS-HALL" } }));
    assert.ok(cases.items.some((c) => c.number === created.number));
    const one = ok(await api.getStaffCase({ path: { number: created.number } }));
    assert.equal(one.agent?.username, "agent1");
    assert.deepEqual(one.escalations, []);

    const floor = ok(await api.listStaffBookings({ query: { place: "BS-HALL", per_page: 100 } }));
    const listed = floor.items.find((b) => b.code === booked.code);
    assert.ok(listed, "today's booking is on the check-in list");
    assert.equal(listed.status, "booked");
    assert.equal(listed.slot.start, slot.start);
    assert.ok(listed.citizen.phone === null || listed.citizen.phone.includes("****"));
    const checkedIn = ok(await api.checkInBooking({ path: { code: booked.code } }));
    assert.equal(checkedIn.status, "checked_in");
  });
});

describe("errors and retries", () => {
  test("a documented error comes back as a typed ApiError", async () => {
    const { api } = await signedInCitizen("errors");
    const slot = await aSlot(api);
    ok(await api.createBooking({ body: { slot, item: "SB-001" } }));
    const again = await api.createBooking({ body: { slot, item: "SB-001" } });
    assert.ok(again.error instanceof ApiError);
    const code: ErrorCode = again.error.code;
    assert.equal(again.error.status, 409);
    assert.equal(code, "duplicate_booking");

    const missing = await api.getCase({ path: { number: "BS-20000101-0001" } });
    assert.equal(missing.error?.status, 404);
    assert.equal(missing.error?.code, "not_found");

    const invalid = await api.createBooking({ body: { slot, item: "" } });
    assert.equal(invalid.error?.status, 422);
    assert.ok(Object.keys(invalid.error?.fieldErrors ?? {}).length > 0);

    const anonymous = kit().api;
    const refused = await anonymous.listMyBookings();
    assert.equal(refused.error?.code, "unauthorized");
  });

  test("a create whose answer was lost is sent again with the same Idempotency-Key", async () => {
    const { api, wx } = await signedInCitizen("retry");
    const slot = await aSlot(api);
    wx.loseNextAnswer = true;
    const booking = ok(await api.createBooking({ body: { slot, item: "SB-001" } }));
    const [first, second] = wx.sent.slice(-2);
    assert.ok(first?.header["Idempotency-Key"]);
    assert.equal(second?.header["Idempotency-Key"], first?.header["Idempotency-Key"]);
    const mine = ok(await api.listMyBookings());
    assert.deepEqual(mine.items.map((b) => b.code), [booking.code]); // booked once
  });

  test("wx.request has no PATCH: the transport says so instead of sending it", async () => {
    const { api } = await signedInCitizen("patch");
    await assert.rejects(api.updateMe({ body: { name: "王秀英" } }), /不支持 PATCH/);
  });
});

// Compile-time checks: `tsc --strict` must reject each line marked @ts-expect-error.
export async function typeChecks(api: Client): Promise<void> {
  // @ts-expect-error an unknown operation
  await api.listSlot({ path: { code: "BS-HALL" } });
  // @ts-expect-error the path parameter is required
  await api.listSlots();
  // @ts-expect-error slot is an integer id
  await api.createBooking({ body: { slot: "12", item: "SB-001" } });
  // @ts-expect-error help_type is "assist", "proxy" or null
  await api.createBooking({ body: { slot: 12, item: "SB-001", help_type: "helper" } });
  const result = await api.getCase({ path: { number: "BS-20261130-0001" } });
  // @ts-expect-error getCase documents no 409
  if (result.error?.status === 409) return;
  // @ts-expect-error not a stable error code
  if (result.error?.code === "conflict") return;
  // @ts-expect-error a case has no `state` field
  if (result.data?.state) return;
}
