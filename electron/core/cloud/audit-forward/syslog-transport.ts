import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { AppError } from "../../../contract/index.js";
import type { SyslogCollector } from "./collector-config.js";
import { abortable, cachedCaReader, MAX_REPLY_BYTES, type CollectorNetwork, type CollectorTransport } from "./collector-transport.js";
import { DEFAULT_SYSLOG_MAX_BYTES, fitRecord } from "./record-cap.js";
import { octetFrame, syslogMessage } from "./syslog-message.js";

/**
 * Syslog over TCP or TLS (RFC 5425/6587, octet-counting framing), one connection per batch. Syslog has no
 * acknowledgement, so a batch counts as delivered only when the collector, after Hearth half-closes, closes its
 * side cleanly: it has then read the stream to its end. A reset, a timeout or a close before that fails the batch,
 * which is sent again (a collector may see it twice, never miss it).
 */
export function syslogTransport(collector: SyslogCollector, network: CollectorNetwork): CollectorTransport {
  const identity = { hostname: os.hostname(), appName: collector.appName ?? "hearth", procId: process.pid };
  const readCa = cachedCaReader(collector.ca);
  // Each message (header, structured data and JSON) stays under the cap: a larger record goes truncated, never as one
  // giant frame a collector would cut or refuse.
  const maxBytes = collector.maxRecordBytes ?? DEFAULT_SYSLOG_MAX_BYTES;
  const messageBytes = (record: Parameters<typeof syslogMessage>[0]) => Buffer.byteLength(syslogMessage(record, identity), "utf8");

  return {
    async send(records, signal) {
      const caPem = await readCa();
      const frames = Buffer.concat(records.map((record) => octetFrame(syslogMessage(fitRecord(record, maxBytes, messageBytes), identity))));
      await abortable<void>(signal, ({ resolve, reject }) => {
        const socket: net.Socket = network(() =>
          collector.transport === "tls"
            ? tls.connect({
                host: collector.host.replace(/^\[|\]$/g, ""),
                port: collector.port,
                // SNI only carries names; the certificate is still checked against an IP address.
                ...(net.isIP(collector.host.replace(/^\[|\]$/g, "")) ? {} : { servername: collector.host }),
                ...(caPem ? { ca: caPem } : {}),
                minVersion: "TLSv1.2",
              })
            : net.connect({ host: collector.host.replace(/^\[|\]$/g, ""), port: collector.port }),
        );
        let replied = 0;
        let ended = false;
        socket.on(collector.transport === "tls" ? "secureConnect" : "connect", () => {
          socket.end(frames);
        });
        socket.on("data", (chunk: Buffer) => {
          // Syslog collectors do not answer; whatever comes is read and dropped, and a flood ends the connection.
          replied += chunk.byteLength;
          if (replied > MAX_REPLY_BYTES) reject(new AppError("NETWORK", "the collector sent unexpected data", { retryable: true }));
        });
        socket.on("end", () => {
          ended = true;
        });
        socket.on("error", reject);
        socket.on("close", (hadError) => {
          if (hadError) return;
          if (ended && socket.writableFinished) resolve();
          else reject(new AppError("NETWORK", "the collector closed the connection before taking the records", { retryable: true }));
        });
        return () => socket.destroy();
      });
    },
  };
}
