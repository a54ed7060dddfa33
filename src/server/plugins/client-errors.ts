import http from 'node:http';
import type { Socket } from 'node:net';

function rawJson(socket: Socket, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.write(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Fastify's clientErrorHandler: requests Node's HTTP parser refuses before Fastify sees them
 * (headers over MAX_HEADER_BYTES, malformed requests, header timeouts) still get the API's JSON
 * error shape.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    if (error.code === 'HPE_HEADER_OVERFLOW') rawJson(socket, 431, 'headers_too_large', 'The request headers are too large.');
    else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') rawJson(socket, 408, 'request_timeout', 'The request took too long to arrive.');
    else rawJson(socket, 400, 'bad_request', 'The request is not valid HTTP.');
  }
  socket.destroy(error);
}
