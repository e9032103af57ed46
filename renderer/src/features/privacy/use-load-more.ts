import { useEffect, useRef } from "react";

/**
 * Calls `load` when the returned element scrolls into view (with a margin, so the next page is there before the
 * end is), while `more` holds; `loaded` (how many entries are shown) renews the watch after each page. The element is also a button for keyboards and for when observing is not available.
 */
export function useLoadMore<T extends Element>(more: boolean, load: () => void, loaded: number) {
  const ref = useRef<T | null>(null);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    const element = ref.current;
    if (!more || !element || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((seen) => seen.some((e) => e.isIntersecting) && latest.current(), { rootMargin: "600px 0px" });
    observer.observe(element);
    return () => observer.disconnect();
    // Observed again after each page: a page too short to push the element out of view asks for the next one.
  }, [more, loaded]);
  return ref;
}
