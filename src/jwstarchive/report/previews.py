"""Preview JPEGs of products and the thumbnails made from them with Pillow.

A preview is found either as a ``.jpg`` product of the selection or on disk next to a FITS
product (``X_rate.fits`` → ``X_rate.jpg``, in the same directory or its ``jpg/`` sub-directory,
and MAST's own ``X_rate_thumb.jpg`` when that is all there is). Thumbnails are named as
jwst_mast_query names them (the final ``jpg`` becomes ``TN.jpg``) but are written into the
report's own ``thumbnails/`` directory, so the download tree holds only archive products.

A missing or unreadable JPEG never stops the report (jwst_mast_query crashed on Pillow ≥ 10):
the cell says what is wrong instead of showing a broken image.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["Thumbnail", "make_thumbnail", "preview_candidates", "thumbnail_name"]


@dataclass(frozen=True)
class Thumbnail:
    """The outcome of making one thumbnail: its path and pixel size, or why there is none."""

    path: Path | None
    width: int = 0
    height: int = 0
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when the thumbnail exists and can be shown."""
        return self.path is not None and self.problem is None


def thumbnail_name(jpg_name: str) -> str:
    """jwst_mast_query's thumbnail name: the final ``jpg`` becomes ``TN.jpg`` (``x_rate.jpg`` → ``x_rate.TN.jpg``)."""
    return jpg_name[: -len("jpg")] + "TN.jpg" if jpg_name.endswith("jpg") else jpg_name + ".TN.jpg"


def preview_candidates(fits_path: Path) -> list[Path]:
    """Where the preview of a FITS product may lie, best first (full preview before MAST's ``_thumb``)."""
    stem = fits_path.name.removesuffix(".fits")
    folders = [fits_path.parent, fits_path.parent / "jpg"]
    return [folder / f"{stem}{end}" for end in (".jpg", "_thumb.jpg") for folder in folders]


def make_thumbnail(source: Path, target: Path, width: int, *, overwrite: bool = False) -> Thumbnail:
    """Write a ``width``-pixel-wide JPEG thumbnail of ``source`` to ``target`` (aspect ratio kept).

    An existing thumbnail is kept unless ``overwrite`` is set, its source is newer, or its width
    differs from ``width``. Images narrower than ``width`` are not enlarged.
    """
    from PIL import Image, UnidentifiedImageError

    if not source.is_file():
        return Thumbnail(None, problem="not downloaded")
    try:
        if target.is_file() and not overwrite and target.stat().st_mtime >= source.stat().st_mtime:
            with Image.open(target) as done:
                if done.width == width or (done.width < width and _width_of(source) == done.width):
                    return Thumbnail(target, done.width, done.height)
        with Image.open(source) as image:
            image.load()
            scale = min(1.0, width / image.width)
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            small = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        small.save(partial, "JPEG", quality=85)
        partial.replace(target)
        return Thumbnail(target, *size)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        log.warning("cannot make a thumbnail of %s: %s", source, exc)
        return Thumbnail(None, problem="unreadable image")


def _width_of(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        return image.width
