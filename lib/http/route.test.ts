import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { jsonRoute, queryObject } from './route';

const schema = z.object({ name: z.string().min(1), n: z.number().int() });
const route = jsonRoute({ body: schema, maxBytes: 256 }, ({ body }) => ({ hello: body.name, n: body.n }));

function post(body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return new Request('http://localhost/api/x', { method: 'POST', body, headers });
}
async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } }).error;
}

describe('jsonRoute: the HTTP error contract', () => {
  it('answers valid input with the handler data and an x-request-id', async () => {
    const res = await route(post(JSON.stringify({ name: 'Aru', n: 3 })));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'Aru', n: 3 });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('reuses a well-formed incoming x-request-id and replaces a malformed one', async () => {
    const ok = await route(post('{"name":"a","n":1}', { 'content-type': 'application/json', 'x-request-id': 'proxy-1234abcd' }));
    expect(ok.headers.get('x-request-id')).toBe('proxy-1234abcd');
    const bad = await route(post('{"name":"a","n":1}', { 'content-type': 'application/json', 'x-request-id': 'bad id <script>' }));
    expect(bad.headers.get('x-request-id')).not.toBe('bad id <script>');
  });

  it("invalid JSON → 400 'invalid_json'", async () => {
    for (const body of ['{"name":', 'nope', '', '   ']) {
      const res = await route(post(body));
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid_json');
    }
  });

  it("invalid UTF-8 → 400 'invalid_json'", async () => {
    const res = await route(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_json');
  });

  it("an oversized body → 413 'payload_too_large', by Content-Length or by the bytes actually sent", async () => {
    const big = JSON.stringify({ name: 'x'.repeat(300), n: 1 });
    const declared = await route(post(big));
    expect(declared.status).toBe(413);
    expect((await errorOf(declared)).code).toBe('payload_too_large');
    // A streamed body has no Content-Length: the reader stops at the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(100)));
        c.close();
      },
    });
    const streamed = await route(
      new Request('http://localhost/api/x', { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect((await errorOf(streamed)).code).toBe('payload_too_large');
  });

  it("a wrong content type → 415 'unsupported_media_type'", async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '']) {
      const res = await route(post('{"name":"a","n":1}', type ? { 'content-type': type } : {}));
      expect(res.status).toBe(415);
      expect((await errorOf(res)).code).toBe('unsupported_media_type');
    }
    const vendor = await route(post('{"name":"a","n":1}', { 'content-type': 'application/vnd.api+json; charset=utf-8' }));
    expect(vendor.status).toBe(200);
  });

  it("a schema violation → 422 'validation_failed' with the fields, in the caller's language", async () => {
    const res = await route(post(JSON.stringify({ name: '', n: 1.5 }), { 'content-type': 'application/json', 'accept-language': 'ru-RU,ru;q=0.9' }));
    expect(res.status).toBe(422);
    const e = await errorOf(res);
    expect(e.code).toBe('validation_failed');
    expect(e.message).toBe('Некоторые поля заполнены неверно.');
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(['n', 'name']);
    const en = await route(post('[]', { 'content-type': 'application/json', cookie: 'a=b; NEXT_LOCALE=en' }));
    expect(en.status).toBe(422);
    expect((await errorOf(en)).message).toBe('Some fields are not valid.');
  });

  it('validates the query and passes params', async () => {
    const r = jsonRoute({ query: z.object({ page: z.coerce.number().int().min(1), tag: z.array(z.string()).optional() }) }, ({ query, params }) => ({ query, params }));
    const ok = await r(new Request('http://localhost/api/x?page=2&tag=a&tag=b'), { params: Promise.resolve({ id: '7' }) });
    expect(await ok.json()).toEqual({ query: { page: 2, tag: ['a', 'b'] }, params: { id: '7' } });
    const bad = await r(new Request('http://localhost/api/x?page=zero'));
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).fields).toHaveProperty('page');
    expect(queryObject('http://x/?a=1&a=2&b=3')).toEqual({ a: ['1', '2'], b: '3' });
  });

  it('an AppError thrown by the handler keeps its code and status; 429 carries Retry-After', async () => {
    const notFound = jsonRoute({}, () => {
      throw new AppError('not_found', 'Application 5 was not found.');
    });
    const res = await notFound(new Request('http://localhost/api/x', { headers: { 'accept-language': 'en' } }));
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({ code: 'not_found', message: 'Not found.' });
    const limited = jsonRoute({}, () => {
      throw new AppError('rate_limited', 'Too many.', undefined, 429, { retryAfterSeconds: 42 });
    });
    const r2 = await limited(new Request('http://localhost/api/x'));
    expect(r2.status).toBe(429);
    expect(r2.headers.get('retry-after')).toBe('42');
  });

  it("an unexpected error is logged and answered 500 'internal' without its details", async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = jsonRoute({}, () => {
      throw new Error('secret connection string in message');
    });
    const res = await broken(new Request('http://localhost/api/x', { headers: { 'accept-language': 'kk' } }));
    expect(res.status).toBe(500);
    const e = await errorOf(res);
    expect(e.code).toBe('internal');
    expect(JSON.stringify(e)).not.toContain('secret');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it('a Response from the handler passes through with the request id; undefined → 204', async () => {
    const r = jsonRoute({}, () => Response.redirect('http://localhost/elsewhere', 303));
    const res = await r(new Request('http://localhost/api/x'));
    expect(res.status).toBe(303);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const empty = await jsonRoute({}, () => undefined)(new Request('http://localhost/api/x'));
    expect(empty.status).toBe(204);
  });

  it('fuzz: arbitrary strings, bytes and JSON values as bodies never yield a 500', async () => {
    const spy = vi.spyOn(console, 'error');
    const check = async (body: string | Uint8Array, type: string) => {
      const res = await route(post(body as BodyInit, { 'content-type': type }));
      expect([200, 400, 413, 415, 422]).toContain(res.status);
      if (res.status !== 200) expect(typeof (await errorOf(res)).code).toBe('string');
    };
    const types = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/ld+json');
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), types, check), { numRuns: 100 });
    await fc.assert(fc.asyncProperty(fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), types, check), { numRuns: 100 });
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), types, check), { numRuns: 100 });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
