import { isValidElement, type ReactElement, type ReactNode } from "react";

/** The element a component function returned, with the props a test reads, or null when it rendered nothing. */
export function returnedElement<Props>(node: ReactNode): ReactElement<Props> | null {
  return isValidElement(node) ? (node as ReactElement<Props>) : null;
}
