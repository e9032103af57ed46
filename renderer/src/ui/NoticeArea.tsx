import { dismissNotice } from "../state/actions.js";
import { useHearth } from "../state/store.js";

/** Errors (and a few confirmations) not tied to a form, with a way to dismiss them; the app stays usable underneath. */
export function NoticeArea() {
  const notices = useHearth((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`alert ${notice.kind === "info" ? "alert-success" : "alert-error"} notice`}
          role={notice.kind === "info" ? "status" : "alert"}
          data-testid={notice.kind === "info" ? "notice-info" : "notice"}
          data-code={notice.code}
        >
          <span>{notice.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissNotice(notice.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
