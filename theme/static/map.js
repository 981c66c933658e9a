// The network map on the skills map page: an opt-in Leaflet map above the list of structures.
//
// Without JavaScript the page shows the list (#structures-list) and nothing else. With it,
// the #show-map button appears; nothing is requested from the tile server (OpenStreetMap)
// until the visitor presses it, because each tile request tells that server who is looking.
//
// What it reads from the page:
//   #show-map      data-tiles (URL template), data-attribution (text), optionally
//                  data-attribution-url (the tile server's copyright page, made a link);
//   #network-map   data-markers (JSON: [{name, url, lat, lon, counts, machines, awarded}]:
//                  counts is what the list below the map says of the structure's badges,
//                  awarded its badges with valid awards [{name, count}] in the structure
//                  page's order), optionally the translated labels data-label-machines,
//                  -badges, -zoom-in, -zoom-out;
//   #map-offline   shown when a tile cannot load.
// Everything taken from the data is put in the page as text, never as HTML.
(function () {
  "use strict";

  const button = document.getElementById("show-map");
  const container = document.getElementById("network-map");
  if (!button || !container || !window.L) return;  // leaflet.js missing: keep the list only

  const structures = JSON.parse(container.dataset.markers || "[]");
  if (structures.length === 0) return;

  // Leaflet's stylesheet refers to its marker images as images/…, relative to itself, so
  // the folder is taken from that <link>: it stays right under any base path.
  // (document.currentScript would only give map.js's own folder, not Leaflet's.)
  const leafletCss = Array.from(document.querySelectorAll("link[rel~=stylesheet]"))
    .find((link) => new URL(link.href).pathname.endsWith("/leaflet.css"));
  if (leafletCss) L.Icon.Default.imagePath = new URL("images/", leafletCss.href).href;

  function element(tag, text) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // A labelled list ("Machines: laser, vinyl"), or nothing when the list is empty.
  function listParagraph(label, items) {
    if (!items || items.length === 0) return null;
    const paragraph = element("p");
    if (label) paragraph.append(element("strong", label), " ");
    paragraph.append(items.join(", "));
    return paragraph;
  }

  function popup(structure) {
    const content = element("div");
    const link = element("a", structure.name);
    link.href = structure.url;
    const title = element("strong");
    title.append(link);
    content.append(title);
    const awarded = (structure.awarded || []).map((badge) => `${badge.name} (${badge.count})`);
    for (const part of [
      structure.counts ? element("p", structure.counts) : null,
      listParagraph(container.dataset.labelBadges, awarded),
      listParagraph(container.dataset.labelMachines, structure.machines),
    ]) {
      if (part) content.append(part);
    }
    return content;
  }

  // Leaflet writes the attribution as HTML: it is built as elements, then serialised.
  function attributionHtml(text, url) {
    const attribution = element(url ? "a" : "span", text);
    if (url) attribution.href = url;
    return attribution.outerHTML;
  }

  function showMap() {
    container.hidden = false;
    container.classList.add("is-shown");  // its height: Leaflet needs a sized container
    const zoom = {};
    if (container.dataset.labelZoomIn) zoom.zoomInTitle = container.dataset.labelZoomIn;
    if (container.dataset.labelZoomOut) zoom.zoomOutTitle = container.dataset.labelZoomOut;
    const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const map = L.map(container, {
      zoomControl: false,
      fadeAnimation: !calm,
      zoomAnimation: !calm,
      markerZoomAnimation: !calm,
    });
    L.control.zoom(zoom).addTo(map);
    const tiles = L.tileLayer(button.dataset.tiles, {
      attribution: attributionHtml(button.dataset.attribution || "", button.dataset.attributionUrl),
      maxZoom: 19,
    }).addTo(map);
    // A tile that cannot load (offline, the server refusing): say so, rather than a grey box.
    tiles.once("tileerror", () => {
      const notice = document.getElementById("map-offline");
      if (notice) notice.hidden = false;
    });
    const points = structures.map((structure) => {
      const point = [structure.lat, structure.lon];
      L.marker(point, { title: structure.name, alt: structure.name })
        .bindPopup(popup(structure))
        .addTo(map);
      return point;
    });
    map.fitBounds(points, { padding: [32, 32], maxZoom: 15 });
    button.hidden = true;
    container.focus();  // the button is gone: keep keyboard users where they were
  }

  button.hidden = false;
  button.addEventListener("click", showMap, { once: true });
})();
