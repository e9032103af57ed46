/**
 * Imported first by the renderer and the preload, before any schema exists. zod probes `new Function("")`
 * when it builds an object schema (at import time, so a later z.config call comes too late); the renderer's CSP
 * (no eval, Trusted Types) blocks that probe and the browser reports a violation. jitless skips the probe and
 * parses without generated code. The core, in plain Node, keeps zod's compiled parsers.
 */
import { z } from "zod";

z.config({ jitless: true });
