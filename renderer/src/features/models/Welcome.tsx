import { openModels } from "../../state/actions.js";
import { ImportModelForm } from "./ImportModelForm.js";
import "./models.css";

/** First run: what Hearth is and how to get a model in. */
export function Welcome() {
  return (
    <section className="welcome" data-testid="welcome">
      <div className="welcome-card">
        <div className="welcome-mark" aria-hidden="true">
          ◆
        </div>
        <h1>Welcome to Hearth</h1>
        <p className="welcome-lead">Chat with open AI models that run entirely on this computer.</p>
        <ul className="welcome-points">
          <li>
            <strong>Private.</strong> Your conversations and files stay on this machine.
          </li>
          <li>
            <strong>Offline.</strong> No account, no cloud: answers are computed here.
          </li>
          <li>
            <strong>Yours.</strong> Use any compatible open model you have downloaded.
          </li>
        </ul>
        <h2>Add your first model</h2>
        <div className="welcome-choice">
          <div>
            <h3>Download one</h3>
            <p className="muted">
              Pick from a short list of open models Hearth knows well, or search Hugging Face. Hearth tells you which
              files fit this computer before you download.
            </p>
            <div className="welcome-actions">
              <button type="button" className="button primary" onClick={() => openModels("catalog")} data-testid="welcome-catalog">
                Browse the catalog
              </button>
              <button type="button" className="button" onClick={() => openModels("search")} data-testid="welcome-search">
                Search Hugging Face
              </button>
            </div>
          </div>
          <div>
            <h3>Or use a file you have</h3>
            <p className="muted">
              A model in the <strong>GGUF</strong> format (its name ends in <code>.gguf</code>). Hearth reads it where it
              is; nothing is copied or uploaded.
            </p>
            <ImportModelForm />
          </div>
        </div>
      </div>
    </section>
  );
}
