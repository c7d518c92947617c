// fetch() cannot report how much of a request body is sent; XMLHttpRequest can. This is a
// fetch for the typed client (`client.POST(path, {fetch: xhrFetch(onSent)})`) that reports it.

/** Bytes sent so far of the request body, and the body's size. */
export type SendProgress = (sent: number, total: number) => void;

export function xhrFetch(onSent: SendProgress): (request: Request) => Promise<Response> {
  return async (request) => {
    const body = request.method === 'GET' ? null : await request.blob();
    return new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url);
      request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.responseType = 'blob';
      xhr.upload.onprogress = (e) =>
        onSent(e.loaded, e.lengthComputable ? e.total : (body?.size ?? 0));
      xhr.upload.onload = () => onSent(body?.size ?? 0, body?.size ?? 0);
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        const response = new Response(xhr.status === 204 ? null : (xhr.response as Blob), {
          status: xhr.status,
          statusText: xhr.statusText,
          headers,
        });
        Object.defineProperty(response, 'url', { value: request.url });
        resolve(response);
      };
      xhr.onerror = () => reject(new TypeError('network error'));
      xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
      request.signal.addEventListener('abort', () => xhr.abort());
      xhr.send(body);
    });
  };
}
