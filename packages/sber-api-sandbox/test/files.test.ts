import { expect, it } from 'vitest';
import { call, createJson, login, registry, withSandbox } from './helpers.js';

it('uploads a file description, polls its state, and names the file in a registry', async () => {
  await withSandbox({}, async (sandbox, agent) => {
    const { access_token } = await login(sandbox, agent);
    const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    const up = await call(agent, `${sandbox.url}/fintech/api/v1/files/upload`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'DEBT_REGISTRY', subType: 'TXT' }),
    });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ fileId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'CREATED', bankComment: null });
    const state = () => call(agent, `${sandbox.url}/fintech/api/v1/files/upload/${up.json.fileId}/state`, { headers });
    expect((await state()).json).toMatchObject({ fileId: up.json.fileId, status: 'CREATED', bankComment: null });
    expect((await state()).json.status).toBe('IMPLEMENTED');
    expect(sandbox.stats.fileUploads).toBe(1);

    const created = await createJson(sandbox, agent, access_token, registry({ bfAttachments: [{ fileId: up.json.fileId }] }));
    expect(created.json.bfAttachments).toEqual([{ fileId: up.json.fileId, fileName: `DEBT_REGISTRY_${up.json.fileId}.txt` }]);

    const missing = await call(agent, `${sandbox.url}/fintech/api/v1/files/upload`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'DEBT_REGISTRY' }),
    });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ cause: 'VALIDATION_FAULT', fieldNames: ['subType'] });
    expect((await call(agent, `${sandbox.url}/fintech/api/v1/files/upload/nope/state`, { headers })).status).toBe(404);

    const narrow = (await login(sandbox, agent, 'openid DEBT_REGISTRY')).access_token;
    const denied = await call(agent, `${sandbox.url}/fintech/api/v1/files/upload`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${narrow}` },
      body: JSON.stringify({ type: 'DEBT_REGISTRY', subType: 'TXT' }),
    });
    expect(denied.status).toBe(403);
    expect(denied.json.cause).toBe('ACTION_ACCESS_EXCEPTION');
    expect((await call(agent, `${sandbox.url}/fintech/api/v1/crypto`, { headers: { authorization: `Bearer ${narrow}` } })).status).toBe(
      403,
    );
  });
});
