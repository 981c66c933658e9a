"""Draw stage: the images the site draws itself, between checking and rendering: default badge
images and share cards, drawn once and kept in the cache store (generator/drawing/ holds how
they are drawn; this stage decides which to draw and reuses what was drawn)."""
