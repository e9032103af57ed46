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
        <ol className="welcome-steps">
          <li>
            Get a model file in the <strong>GGUF</strong> format (its name ends in <code>.gguf</code>). Small
            quantized models (Q4_K_M, 1–8B parameters) run well on most laptops.
          </li>
          <li>Import it below. Hearth reads it where it is; nothing is copied or uploaded.</li>
        </ol>
        <ImportModelForm />
      </div>
    </section>
  );
}
