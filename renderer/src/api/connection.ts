export type ConnectionStatus = "connecting" | "connected" | "disconnected";

/** Observable link state between the page and the core; Electron's IPC is always "connected". */
export type Connection = {
  status(): ConnectionStatus;
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
};

export function createConnectionState(initial: ConnectionStatus): Connection & { set(status: ConnectionStatus): void } {
  let current = initial;
  const listeners = new Set<(status: ConnectionStatus) => void>();
  return {
    status: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(status) {
      if (status === current) return;
      current = status;
      for (const listener of [...listeners]) listener(status);
    },
  };
}

export const alwaysConnected: Connection = {
  status: () => "connected",
  subscribe: () => () => {},
};
