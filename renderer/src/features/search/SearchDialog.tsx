import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { MAX_SEARCH_QUERY_CHARS, type SearchResult } from "../../api/contract.js";
import { closeSearch, moveSearchSelection, openSearchResult, runSearch } from "../../state/search-actions.js";
import { useHearth } from "../../state/store.js";
import { HighlightedText } from "./HighlightedText.js";
import "./search.css";

/** Waits this long after the last key before asking the core, so typing a word is one search, not five. */
const DEBOUNCE_MS = 120;

function ResultRow({ result, selected, index }: { result: SearchResult; selected: boolean; index: number }) {
  const where = result.messageId === null ? "Title" : result.role === "user" ? "You" : "Answer";
  return (
    <li
      role="option"
      aria-selected={selected}
      className={`search-result${selected ? " selected" : ""}`}
      data-testid="search-result"
      data-index={index}
      // mousedown, not click: the field keeps focus and the row opens before a blur could close anything.
      onMouseDown={(event) => {
        event.preventDefault();
        void openSearchResult(result);
      }}
    >
      <div className="search-result-head">
        <span className="search-result-title">{result.title || "New chat"}</span>
        <span className="search-result-where muted">{where}</span>
      </div>
      <div className="search-result-snippet" data-testid="search-result-snippet">
        <HighlightedText text={result.snippet} highlights={result.highlights} />
      </div>
    </li>
  );
}

/** Ctrl/Cmd+K: search every conversation's titles and messages; ↑/↓ pick, Enter opens, Esc closes. */
export function SearchDialog() {
  const { open, query, results, status, error, selected } = useHearth(useShallow((s) => s.search));
  const [text, setText] = useState(query);
  const titleId = useId();
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => void runSearch(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, open]);

  useEffect(() => {
    list.current?.querySelector(`[data-index="${selected}"]`)?.scrollIntoView?.({ block: "nearest" });
  }, [selected]);

  if (!open) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Escape") {
      // Esc closes the dialog; it must not also stop an answer (the app-wide Esc).
      event.stopPropagation();
      closeSearch();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveSearchSelection(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const result = results[selected];
      if (result) void openSearchResult(result);
    }
  };

  return (
    <div className="search-backdrop" onMouseDown={(event) => event.target === event.currentTarget && closeSearch()}>
      <div className="search-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="search-dialog">
        <h2 id={titleId} className="visually-hidden">
          Search conversations
        </h2>
        <input
          className="search-input"
          type="search"
          autoFocus
          placeholder="Search all conversations"
          aria-label="Search all conversations"
          aria-controls={`${titleId}-results`}
          maxLength={MAX_SEARCH_QUERY_CHARS}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          data-testid="search-input"
        />
        {status === "error" && error && (
          <p className="search-error" role="alert" data-testid="search-error">
            {error}
          </p>
        )}
        {status === "done" && results.length === 0 && (
          <p className="search-empty muted" data-testid="search-empty">
            No conversation mentions that.
          </p>
        )}
        {results.length > 0 && (
          <ul className="search-results" role="listbox" id={`${titleId}-results`} ref={list} data-testid="search-results">
            {results.map((result, i) => (
              <ResultRow key={`${result.conversationId}:${result.messageId ?? "title"}`} result={result} selected={i === selected} index={i} />
            ))}
          </ul>
        )}
        <p className="search-hint muted small-text">Every word matches as a prefix; "quote" an exact phrase.</p>
      </div>
    </div>
  );
}
