// Print buttons: the page has a print stylesheet; no inline scripts (CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
