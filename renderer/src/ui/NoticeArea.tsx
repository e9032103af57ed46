import { dismissNotice } from "../state/actions.js";
import { useHearth } from "../state/store.js";

/** Errors not tied to a form, with a way to dismiss them; the app stays usable underneath. */
export function NoticeArea() {
  const notices = useHearth((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.id} className="alert alert-error notice" role="alert" data-testid="notice" data-code={notice.code}>
          <span>{notice.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissNotice(notice.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
