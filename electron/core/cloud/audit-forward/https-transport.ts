import http from "node:http";
import https from "node:https";
import { AppError } from "../../../contract/index.js";
import type { HttpsCollector } from "./collector-config.js";
import { abortable, cachedCaReader, type CollectorNetwork, type CollectorTransport } from "./collector-transport.js";

/**
 * POSTs each batch as JSON Lines (application/x-ndjson) to the collector's URL. A 2xx status is the
 * acknowledgement; anything else (a redirect included: it is never followed, so the headers never leave the
 * URL's origin) fails the batch. The reply's body is never read.
 */
export function httpsTransport(collector: HttpsCollector, network: CollectorNetwork): CollectorTransport {
  const url = new URL(collector.url);
  const readCa = cachedCaReader(collector.ca);

  return {
    async send(records, signal) {
      const caPem = await readCa();
      const body = Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(""), "utf8");
      const client = url.protocol === "https:" ? https : http;
      await abortable<void>(signal, ({ resolve, reject }) => {
        const request = network(() =>
          client.request(url, {
            method: "POST",
            // No pooled socket: each batch is checked and opened through the gate.
            agent: false,
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
          else reject(new AppError("NETWORK", `the collector answered HTTP ${status}`, { retryable: true }));
        });
        request.on("error", reject);
        request.end(body);
        return () => request.destroy();
      });
    },
  };
}
