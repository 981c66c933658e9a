// The award page's helpers. Nothing leaves the browser: the email is hashed locally.
(function () {
  "use strict";

  async function sha256Hex(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const form = document.getElementById("is-it-mine");
  if (form && window.crypto && crypto.subtle) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = document.getElementById("mine-result");
      // The same normalisation as the issuer's tool: trimmed, lower-cased, then salted.
      const email = document.getElementById("mine-email").value.trim().toLowerCase();
      const hash = "sha256$" + (await sha256Hex(email + form.dataset.salt));
      const match = hash === form.dataset.hash;
      result.dataset.result = match ? "match" : "no-match";
      result.textContent = match ? form.dataset.yes : form.dataset.no;
    });
  }

  const copy = document.getElementById("copy-link");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      await navigator.clipboard.writeText(document.querySelector("link[rel=canonical]").href);
      copy.dataset.copied = "true";
      copy.textContent = copy.dataset.done;
    });
  }

  const print = document.getElementById("print-certificate");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }

  // The certificate prints the page's QR code from the folded "Add to…" panel, which the print
  // styles open (::details-content); a browser without it gets the panel opened for printing.
  const folded = document.querySelector(".add-to");
  if (folded && !CSS.supports("selector(::details-content)")) {
    let wasOpen = false;
    addEventListener("beforeprint", () => { wasOpen = folded.open; folded.open = true; });
    addEventListener("afterprint", () => { folded.open = wasOpen; });
  }
})();
