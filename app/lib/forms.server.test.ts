import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError, NotFound } from "~/models/errors.server";
import { domainFailure, MAX_FORM_FIELDS, or404, parseForm, readForm } from "./forms.server";

const post = (body: BodyInit | undefined, type?: string) =>
  new Request("http://localhost/login", { method: "POST", body, headers: type ? { "Content-Type": type } : {} });

async function refusal(request: Request) {
  try {
    await readForm(request);
  } catch (error) {
    if (error instanceof Response) return { status: error.status, text: await error.text() };
    throw error;
  }
  throw new Error("the form was read");
}

describe("readForm", () => {
  it("reads a urlencoded or a multipart form", async () => {
    expect((await readForm(post("email=a%40b.example&password=x", "application/x-www-form-urlencoded"))).get("email")).toBe("a@b.example");
    const multipart = new FormData();
    multipart.append("email", "a@b.example");
    expect((await readForm(new Request("http://localhost/login", { method: "POST", body: multipart }))).get("email")).toBe("a@b.example");
  });

  it("refuses a body that is not a form with 415, naming what came", async () => {
    expect(await refusal(post('{"email":"a"}', "application/json"))).toEqual({
      status: 415,
      text: "This address takes a form (application/x-www-form-urlencoded or multipart/form-data), not application/json.",
    });
    expect(await refusal(post("email=a", "text/plain; charset=utf-8"))).toMatchObject({ status: 415, text: expect.stringMatching(/not text\/plain\.$/) });
    expect(await refusal(post(undefined))).toMatchObject({ status: 415, text: expect.stringMatching(/without a content type/) });
  });

  it("refuses a broken multipart body with 400", async () => {
    expect(await refusal(post("--zzz\r\nContent-Disposition: form-da", "multipart/form-data; boundary=zzz"))).toEqual({
      status: 400,
      text: "The form could not be read: its body is not valid multipart/form-data.",
    });
    expect(await refusal(post("--zzz\r\n", "multipart/form-data"))).toMatchObject({ status: 400 });
  });

  it(`refuses more than ${MAX_FORM_FIELDS} fields with 413`, async () => {
    const type = "application/x-www-form-urlencoded";
    expect((await readForm(post("f=1&".repeat(MAX_FORM_FIELDS), type))).getAll("f")).toHaveLength(MAX_FORM_FIELDS);
    expect(await refusal(post("f=1&".repeat(MAX_FORM_FIELDS + 1), type))).toEqual({ status: 413, text: `A form may have at most ${MAX_FORM_FIELDS} fields.` });
  });
});

describe("parseForm", () => {
  it("takes the first value of a repeated field", () => {
    const form = new FormData();
    form.append("name", "first");
    form.append("name", "second");
    expect(parseForm(form, z.object({ name: z.string() }))).toEqual({ ok: true, data: { name: "first" } });
  });

  it("is linear in the number of fields: 40,000 distinct names in well under a second (it took seconds)", () => {
    const form = new FormData();
    for (let i = 0; i < 40_000; i++) form.append(`f${i}`, "1");
    const start = performance.now();
    const parsed = parseForm(form, z.object({ email: z.string() }));
    expect(performance.now() - start).toBeLessThan(500);
    expect(parsed).toMatchObject({ ok: false, fieldErrors: { email: expect.any(String) } });
  });
});

describe("a model's refusals as responses", () => {
  const thrown = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error;
    }
    throw new Error("nothing was thrown");
  };

  it("answers NotFound with a 404 carrying its message, from a loader's call or an action's failure", async () => {
    const viaLoader = thrown(() => or404(() => { throw new NotFound("No such member."); }));
    const viaAction = thrown(() => domainFailure(new NotFound("No such member."), new FormData()));
    for (const response of [viaLoader, viaAction]) {
      expect(response).toBeInstanceOf(Response);
      expect((response as Response).status).toBe(404);
      expect(await (response as Response).text()).toBe("No such member.");
    }
  });

  it("passes values through, and rethrows anything else unchanged", () => {
    expect(or404(() => 42)).toBe(42);
    const other = new Error("disk full");
    expect(thrown(() => or404(() => { throw other; }))).toBe(other);
    expect(thrown(() => domainFailure(other, new FormData()))).toBe(other);
    expect(thrown(() => or404(() => { throw new DomainError("a rule"); }))).toBeInstanceOf(DomainError);
  });
});
