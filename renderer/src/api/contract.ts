// The renderer's single door to the contract, so the relative path lives in one place.
export * from "../../../electron/contract/index.js";
export * from "../../../electron/contract/ws-protocol.js";
export * from "../../../electron/contract/bridge.js";
export * from "../../../electron/contract/links.js";
export * from "../../../electron/contract/continue-answer.js";
export * from "../../../electron/contract/recommend-file.js";
export * from "../../../electron/contract/audit-filter.js";
