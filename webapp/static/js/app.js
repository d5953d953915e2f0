// Tierlight: small progressive enhancements. Pages work without JavaScript.
"use strict";

// Poll a background job and move its progress bar until it finishes, then reload or follow a link.
function pollJob(el) {
  const url = el.dataset.jobUrl;
  const bar = el.querySelector("progress");
  const text = el.querySelector("[data-job-message]");
  const tick = async () => {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) { return; }
    const job = await response.json();
    if (bar) { bar.value = job.progress; }
    const finished = job.status === "succeeded" || job.status === "failed";
    if (text) { text.textContent = (!finished && job.message_label) || job.status_label || job.status; }
    if (finished) {
      el.dataset.jobStatus = job.status;
      if (el.dataset.jobDone === "reload") { window.location.reload(); }
      return;
    }
    window.setTimeout(tick, 1000);
  };
  tick();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-job-url]").forEach(pollJob);
});

// A form with data-confirm asks before it is sent (removing a person, say).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) { event.preventDefault(); }
});

// A second tap on a form already being sent is dropped: the first one is on its way (a
// slow network makes people tap again). After a few seconds the form may be sent again.
const RESEND_AFTER_MS = 4000;
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) { return; }
  const form = event.target;
  const now = Date.now();
  if (form.dataset.sentAt && now - Number(form.dataset.sentAt) < RESEND_AFTER_MS) {
    event.preventDefault();
    return;
  }
  form.dataset.sentAt = String(now);
});
