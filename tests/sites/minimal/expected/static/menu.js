// The folded menu of a narrow screen (a <details>, which opens and closes without script):
// Escape closes it, and the focus goes back to its button, as a menu's does.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = document.querySelector(".menu-folded[open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
