/**
 * A stand-in Lambda endpoint that accepts every invocation and never runs anything: Event
 * invocations get their 202 and no destination record ever follows. It keeps the headers of each
 * request, to see what a gateway sends to an endpoint.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AcceptingLambda {
  /** `http://127.0.0.1:<port>`, for `lambda: { kind: 'endpoint', endpoint }`. */
  readonly endpoint: string;
  /** The headers of every Invoke request, in order. */
  readonly requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startAcceptingLambda(): Promise<AcceptingLambda> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests.push(request.headers);
      const requestId = randomUUID();
      if (request.headers['x-amz-invocation-type'] === 'Event') {
        response.writeHead(202, { 'x-amzn-requestid': requestId, 'content-length': '0' }).end();
      } else {
        response
          .writeHead(200, { 'x-amzn-requestid': requestId, 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' })
          .end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
