/* eslint-disable @typescript-eslint/no-require-imports -- the baseline is plain CommonJS, as the seed's sample is */
'use strict';
// The baseline: a handler written the way the seed's sample does it (and most users do), not weakened:
// the whole @alicloud/pop-core package from node_modules, a new client per call, GET, the default timeout,
// the result returned as is. Only the endpoint comes from the environment, so it can reach the sandbox.
const Core = require('@alicloud/pop-core');

exports.handler = async (event, context) => {
  const request = JSON.parse(event.toString());
  const params = request.queryParameters || request;
  const client = new Core({
    accessKeyId: context.credentials.accessKeyId,
    accessKeySecret: context.credentials.accessKeySecret,
    securityToken: context.credentials.securityToken,
    endpoint: process.env.DYPLS_ENDPOINT || 'https://dyplsapi.aliyuncs.com',
    apiVersion: '2017-05-25',
  });
  try {
    const result = await client.request(
      'QuerySubscriptionDetail',
      {
        PoolKey: params.poolKey,
        SubsId: params.subsId,
        PhoneNoX: params.phoneNoX,
      },
      {},
    );
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(result), isBase64Encoded: false };
  } catch (err) {
    return { statusCode: 500, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: err.message }), isBase64Encoded: false };
  }
};
