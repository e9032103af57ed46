import http from "node:http";
import https from "node:https";
import { AppError } from "../../../contract/index.js";
import type { HttpsCollector } from "./collector-config.js";
import { abortable, cachedCaReader, type CollectorNetwork, type CollectorTransport } from "./collector-transport.js";
import { TooLargeForCollector } from "./forward-error.js";
import { DEFAULT_HTTPS_MAX_BYTES, fitRecord, jsonLineBytes } from "./record-cap.js";

/** Bytes of reply headers Hearth parses before it gives up on a collector's answer. */
const MAX_REPLY_HEADER_BYTES = 16 * 1024;

/**
 * POSTs each batch as JSON Lines (application/x-ndjson) to the collector's URL. A 2xx status is the
 * acknowledgement; anything else (a redirect included: it is never followed, so the headers never leave the
 * URL's origin) fails the batch. The reply's body is never read.
 */
export function httpsTransport(collector: HttpsCollector, network: CollectorNetwork): CollectorTransport {
  const url = new URL(collector.url);
  const readCa = cachedCaReader(collector.ca);
  // One huge entry alone in its batch must not make a request body the collector refuses (and retried for ever,
  // holding up every record after it): it goes truncated.
  const maxBytes = collector.maxRecordBytes ?? DEFAULT_HTTPS_MAX_BYTES;

  return {
    async send(records, signal) {
      const caPem = await readCa();
      const body = Buffer.from(records.map((record) => `${JSON.stringify(fitRecord(record, maxBytes, jsonLineBytes))}\n`).join(""), "utf8");
      const client = url.protocol === "https:" ? https : http;
      await abortable<void>(signal, ({ resolve, reject }) => {
        const request = network(() =>
          client.request(url, {
            method: "POST",
            // No pooled socket: each batch is checked and opened through the gate.
            agent: false,
            // The reply's headers are parsed and bounded whatever the process's --max-http-header-size; larger is an error.
            maxHeaderSize: MAX_REPLY_HEADER_BYTES,
            headers: {
              ...collector.headers,
              "content-type": "application/x-ndjson",
              "content-length": String(body.byteLength),
            },
            ...(caPem ? { ca: caPem } : {}),
            ...(url.protocol === "https:" ? { minVersion: "TLSv1.2" as const } : {}),
          }),
        );
        request.on("response", (response) => {
          response.on("error", () => {});
          const status = response.statusCode ?? 0;
          // The status is all Hearth needs: the body (however large) is not read, the connection is dropped.
          response.destroy();
          request.destroy();
          if (status >= 200 && status < 300) resolve();
          else if (status === 413) reject(new TooLargeForCollector(records.length));
          else reject(new AppError("NETWORK", `the collector answered HTTP ${status}`, { retryable: true }));
        });
        request.on("error", reject);
        request.end(body);
        return () => request.destroy();
      });
    },
  };
}
