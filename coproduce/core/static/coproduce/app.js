// Start the NHS.UK frontend components (error summary focus, character counts, header menu).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";
import { initCoding, initResponses } from "./coding.js";

initAll();

// Codes carry their colour as data: the CSP forbids style attributes in the markup, but a
// script may set a custom property, which the stylesheet turns into swatches and highlights.
for (const element of document.querySelectorAll("[data-colour]")) {
  const colour = element.dataset.colour;
  if (/^#[0-9a-fA-F]{6}$/.test(colour)) element.style.setProperty("--code-colour", colour);
}

const coding = document.querySelector("[data-coding]");
if (coding) initCoding(coding);
const responses = document.querySelector("[data-responses]");
if (responses) initResponses(responses);
