// Small behaviours, all without inline script (the Content Security Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce what to fix.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Forms that change something irreversible ask first: <form data-confirm="...">.
  document.addEventListener("submit", (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Filter forms submit on change when htmx is present; plain submit still works.
  document.querySelectorAll("form[data-autosubmit] select, form[data-autosubmit] input[type=checkbox]")
    .forEach((field) => field.addEventListener("change", () => field.form.requestSubmit()));
});
