// Orders: the report form keeps one idempotency key per form, made on this device, and a
// second tap on "send" while the first is under way does nothing (the server would anyway
// record the report once).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-report-form]").forEach((form) => {
    const key = form.querySelector("[data-idempotency-key]");
    if (key && window.crypto && typeof window.crypto.randomUUID === "function" && !form.querySelector("[aria-invalid]")) {
      key.value = window.crypto.randomUUID();
    }
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
    });
  });
});
