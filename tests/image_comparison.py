"""Images compared with the expected ones committed in tests/expected-images/, where a test
cannot say in words what a page or a drawing must look like.

A pixel differs when one of its channels (red, green, blue, alpha) differs from the expected
image's by more than a tolerance's `colour` (0 to 255); an image matches when it has the
expected size and at most a tolerance's `share` of its pixels differ. Chromium's screens get
`SCREEN`: the small shifts of colour that antialiasing makes at the edges of letters pass,
while a moved, missing or recoloured element fails (tests/test_expected_images.py proves
both). Pillow's drawings get `DRAWING`: the same Pillow draws the same pixels, so none may
differ.

When an image does not match, tests/expected-images/failed/NAME.png (git-ignored) shows the
expected image, the actual one and the differing pixels in red, side by side, for a person to
look at. After an intended change, `pytest --update-golden` writes the actual images as the
expected ones (losslessly compressed): review them like code.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

EXPECTED = Path(__file__).resolve().parent / "expected-images"
MADE_WITH = "made-with.txt"  # beside the expected images: the browser and fonts that drew them
UPDATE = (
    "python -m pytest tests/test_page_layout.py tests/test_menu_and_tables.py "
    "tests/test_expected_images.py --update-golden"
)
_GAP = 8  # pixels between the panes of a failure's picture
_RED = (220, 0, 0, 255)


@dataclass(frozen=True)
class Tolerance:
    """How far an image may stray from the expected one and still match it."""

    colour: int  # a pixel differs when one of its channels differs by more than this
    share: float  # the image matches while at most this fraction of its pixels differ


# Chromium draws the same page the same way: two runs differ, at most, by a few pixels a few
# levels apart (the edge of a text field). Antialiasing moves a letter's edge pixels by a few
# levels; 32 of 255 lets that pass, and anything drawn in another colour fail. 1 pixel in
# 10,000 may differ further: 20 pixels of a 320x640 screen, 122 of a 1366x900 one, fewer
# than a 40-pixel logo missing or moved by 2 pixels, or a one-pixel shift of the page.
SCREEN = Tolerance(colour=32, share=1 / 10_000)
DRAWING = Tolerance(colour=0, share=0.0)  # Pillow draws the same pixels on every machine


@dataclass(frozen=True)
class Comparison:
    """How an image compares with the expected one."""

    differing: int  # pixels that differ by more than the tolerance's colour
    pixels: int
    mask: Image.Image | None  # the differing pixels, white on black; None if sizes differ

    def matches(self, tolerance: Tolerance) -> bool:
        """Whether the image has the expected size and few enough differing pixels."""
        return self.mask is not None and self.differing <= tolerance.share * self.pixels


def compare(actual: Image.Image, expected: Image.Image, tolerance: Tolerance) -> Comparison:
    """The pixels of actual that differ from expected by more than tolerance.colour."""
    if actual.size != expected.size:
        return Comparison(actual.width * actual.height, actual.width * actual.height, None)
    channels = ImageChops.difference(actual.convert("RGBA"), expected.convert("RGBA")).split()
    largest = channels[0]
    for channel in channels[1:]:
        largest = ImageChops.lighter(largest, channel)
    mask = largest.point(lambda level: 255 if level > tolerance.colour else 0)
    return Comparison(mask.histogram()[255], actual.width * actual.height, mask)


def assert_looks_as_expected(
    actual_file: Path,
    name: str,
    tolerance: Tolerance,
    *,
    update: bool,
    drawn_by: Callable[[], str] | None = None,
    folder: Path = EXPECTED,
) -> None:
    """Assert that the image in actual_file matches folder/NAME.png (on failure, show how in
    folder/failed/NAME.png); with update, first make it the expected image (and drawn_by()
    the note of what drew it)."""
    expected_file, failed = folder / f"{name}.png", folder / "failed"
    failed_file, actual_copy = failed / f"{name}.png", failed / f"{name}.actual.png"
    failed_file.unlink(missing_ok=True)
    actual_copy.unlink(missing_ok=True)
    with Image.open(actual_file) as opened:
        actual = opened.copy()
    if update:
        save_expected(actual_file, expected_file)
        if drawn_by is not None:
            (folder / MADE_WITH).write_text(drawn_by() + "\n", "utf-8")
    assert expected_file.is_file(), f"no expected image {expected_file}: run `{UPDATE}`"
    with Image.open(expected_file) as opened:
        expected = opened.copy()
    found = compare(actual, expected, tolerance)
    if found.matches(tolerance):
        return
    failed.mkdir(exist_ok=True)
    picture_of_failure(expected, actual, found.mask).save(failed_file, "PNG")
    shutil.copyfile(actual_file, actual_copy)
    if found.mask is None:
        said = f"is {actual.width}x{actual.height}, not {expected.width}x{expected.height}"
    else:
        left, top, right, bottom = found.mask.getbbox() or (0, 0, 0, 0)
        said = (
            f"has {found.differing} of {found.pixels} pixels ({found.differing / found.pixels:.3%})"
            f" that differ by more than {tolerance.colour} (at most {tolerance.share:.3%} may),"
            f" within x {left}-{right}, y {top}-{bottom}"
        )
    platform = ""
    if drawn_by is not None and (folder / MADE_WITH).is_file():
        expected_by, actual_by = (folder / MADE_WITH).read_text("utf-8").strip(), drawn_by()
        if expected_by != actual_by:
            platform = f"; the expected images were drawn by {expected_by}, these by {actual_by}"
    raise AssertionError(
        f"{name} {said}{platform}: see {failed_file} (expected, actual, differing pixels in "
        f"red); after an intended change, run `{UPDATE}` and review the images"
    )


def save_expected(actual_file: Path, path: Path) -> None:
    """Write the image of actual_file to path as an expected image: without an alpha channel
    that is opaque throughout, in the smaller of its own PNG and Pillow's most compressed
    one (Chromium's is often smaller), never losing a pixel."""
    with Image.open(actual_file) as opened:
        image = opened.copy()
        smallest = actual_file.read_bytes() if opened.format == "PNG" else b""
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image, smallest = image.convert("RGB"), b""
    compressed = io.BytesIO()
    image.save(compressed, "PNG", optimize=True)
    if not smallest or len(compressed.getvalue()) < len(smallest):
        smallest = compressed.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(smallest)


def picture_of_failure(
    expected: Image.Image, actual: Image.Image, mask: Image.Image | None
) -> Image.Image:
    """Expected, actual and (when their sizes agree) the expected image faded with the
    differing pixels in red, side by side."""
    panes = [expected.convert("RGBA"), actual.convert("RGBA")]
    if mask is not None:
        faded = expected.convert("L").point(lambda level: 160 + level * 95 // 255)
        shown = faded.convert("RGBA")
        shown.paste(_RED, mask=mask)
        panes.append(shown)
    width = sum(pane.width for pane in panes) + _GAP * (len(panes) - 1)
    picture = Image.new("RGBA", (width, max(pane.height for pane in panes)), (128, 128, 128, 255))
    left = 0
    for pane in panes:
        picture.paste(pane, (left, 0))
        left += pane.width + _GAP
    return picture


def chromium_and_fonts(chromium: Path) -> str:
    """What draws the screens: Chromium's version and the font its pages' system-ui gets."""
    version = subprocess.run(
        [str(chromium), "--version"], capture_output=True, text=True, check=False, timeout=60
    ).stdout.strip()
    font = subprocess.run(
        ["fc-match", "system-ui"], capture_output=True, text=True, check=False, timeout=60
    ).stdout.strip()
    return f"{version or 'an unknown Chromium'}, system-ui = {font or 'unknown'}"
