"""Pictures of a product: deterministic synthetic skies and spectra, and their JPEG renderings.

The same scene feeds a product's FITS data and its ``.jpg`` preview and ``_thumb.jpg``
thumbnail, so a preview looks like the file it stands for. Everything is computed from a
64-bit seed with a counter-based generator (splitmix64) and only the IEEE operations + - * /,
so the arrays are bit-identical in every process, on every machine and with every numpy
version (no ``numpy.random`` stream, no ``exp``/``log``, whose last bits vary with SIMD
code paths). Stars are Moffat profiles, galaxies elliptical Moffat-like blobs, spectral lines
Lorentzians: all rational functions.

JPEG bytes are deterministic for a given Pillow and libjpeg build (fixed quality, no EXIF,
no timestamps, Pillow's built-in bitmap font rather than FreeType). A different libjpeg may
encode the same pixels differently, so an archive's sizes and checksums belong to the
environment that generated it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "JPEG_QUALITY",
    "PREVIEW_SIZE",
    "THUMB_SIZE",
    "Scene",
    "gaussian_noise",
    "render_jpeg",
    "render_spectrum_plot",
    "seed_of",
    "sky_image",
    "sky_scene",
    "spectrum_1d",
    "spectrum_trace",
    "stretch",
    "uniform",
]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TWO53 = 2.0**-53

PREVIEW_SIZE = 256
THUMB_SIZE = 128
JPEG_QUALITY = 80


def seed_of(text: str) -> int:
    """A stable 64-bit seed from ``text`` (blake2b; the same in every process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def uniform(seed: int, n: int, stream: int = 0) -> np.ndarray:
    """``n`` uniform deviates in [0, 1) from splitmix64, counter-based on (seed, stream).

    Parameters
    ----------
    seed
        64-bit seed, e.g. from :func:`seed_of`.
    n
        Number of deviates.
    stream
        Independent sub-stream number (different uses of one seed).

    Returns
    -------
    numpy.ndarray
        float64 values, identical on every platform.
    """
    start = np.uint64((seed + stream * 0xD1B54A32D192ED03) % 2**64)
    x = np.arange(1, n + 1, dtype=np.uint64) * _GOLDEN + start
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * _TWO53


def _normal_deviates(seed: int, n: int, stream: int) -> np.ndarray:
    """Approximately normal deviates (mean 0, sigma 1): a scaled sum of four uniforms."""
    u = uniform(seed, 4 * n, stream).reshape(4, n)
    return (u[0] + u[1] + u[2] + u[3] - 2.0) * 1.7320508075688772


_TILE_SIZE = 1 << 18


@lru_cache(maxsize=1)
def _noise_tile() -> np.ndarray:
    """A fixed block of normal deviates, made once per process from a constant seed."""
    tile = _normal_deviates(0x4A575354, _TILE_SIZE, 0)
    tile.setflags(write=False)
    return tile


def gaussian_noise(seed: int, shape: tuple[int, ...], stream: int = 0) -> np.ndarray:
    """Approximately normal deviates (mean 0, sigma 1) for ``seed`` and ``stream``.

    Small requests are a window of a fixed, process-wide block of deviates at an offset
    drawn from (seed, stream): as deterministic as generating them, and much cheaper for
    the many files of an archive. Requests larger than a quarter of the block are generated.

    Parameters
    ----------
    seed
        64-bit seed.
    shape
        Output shape.
    stream
        Independent sub-stream number.

    Returns
    -------
    numpy.ndarray
        float64 deviates of ``shape`` (a new array).
    """
    n = int(np.prod(shape))
    if n > _TILE_SIZE // 4:
        return _normal_deviates(seed, n, stream).reshape(shape)
    offset = int(uniform(seed, 1, stream + 1000)[0] * (_TILE_SIZE - n))
    return _noise_tile()[offset : offset + n].reshape(shape).copy()


@dataclass(frozen=True)
class Scene:
    """Sources in fractional image coordinates (0..1): positions, fluxes, shapes."""

    x: np.ndarray
    y: np.ndarray
    flux: np.ndarray
    size: np.ndarray
    axis_ratio: np.ndarray
    angle_cos: np.ndarray
    angle_sin: np.ndarray
    is_galaxy: np.ndarray

    @classmethod
    def random(cls, seed: int, n_stars: int = 12, n_galaxies: int = 4) -> Scene:
        """A star field with a few galaxies, the same for every image with this seed."""
        n = n_stars + n_galaxies
        u = uniform(seed, 7 * n, stream=1).reshape(7, n)
        is_galaxy = np.arange(n) >= n_stars
        # fluxes: a steep number-count law by inverse transform of 1/u (rational only)
        flux = 1.0 / (0.02 + u[2] * u[2])
        flux = np.where(is_galaxy, 8.0 + 30.0 * u[3], flux)
        size = np.where(is_galaxy, 0.012 + 0.03 * u[4], 0.0)
        ratio = np.where(is_galaxy, 0.3 + 0.7 * u[5], 1.0)
        # a unit vector from a rational parametrisation of the circle
        t = 2.0 * u[6] - 1.0
        cos, sin = (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)
        return cls(0.04 + 0.92 * u[0], 0.04 + 0.92 * u[1], flux, size, ratio, cos, sin, is_galaxy)


def sky_scene(scene: Scene, shape: tuple[int, int], star_width: float | None = None) -> np.ndarray:
    """The scene's surface brightness on an image of ``shape`` (ny, nx), sky level 0.

    Parameters
    ----------
    scene
        Sources to draw.
    shape
        Image shape (ny, nx).
    star_width
        Moffat core width of stars in pixels (default grows slowly with the image size).

    Returns
    -------
    numpy.ndarray
        float64 image; stars peak near their flux, galaxies are extended.
    """
    ny, nx = shape
    alpha = star_width if star_width is not None else max(0.9, nx / 160.0)
    image = _stars(scene, shape, alpha)
    yy = np.arange(ny, dtype=np.float64)[:, None]
    xx = np.arange(nx, dtype=np.float64)[None, :]
    for i in np.flatnonzero(scene.is_galaxy):
        cx, cy = scene.x[i] * nx, scene.y[i] * ny
        a = scene.size[i] * nx
        reach = int(5 * a) + 2
        y0, y1 = max(0, int(cy) - reach), min(ny, int(cy) + reach + 1)
        x0, x1 = max(0, int(cx) - reach), min(nx, int(cx) + reach + 1)
        if y0 >= y1 or x0 >= x1:
            continue
        dx = xx[:, x0:x1] - cx
        dy = yy[y0:y1] - cy
        c, s, q = scene.angle_cos[i], scene.angle_sin[i], scene.axis_ratio[i]
        u = dx * c + dy * s
        v = (dy * c - dx * s) / q
        r2 = (u * u + v * v) / (a * a)
        core = 1.0 / (1.0 + r2)
        image[y0:y1, x0:x1] += scene.flux[i] * core * core * core
    return image


def _stars(scene: Scene, shape: tuple[int, int], alpha: float) -> np.ndarray:
    """The point sources of ``scene``: Moffat (beta 2) stamps computed together, then added in order."""
    ny, nx = shape
    stars = np.flatnonzero(~scene.is_galaxy)
    reach = int(5 * alpha) + 2
    width = 2 * reach + 1
    padded = np.zeros((ny + 2 * width, nx + 2 * width))
    if len(stars):
        cx = scene.x[stars] * nx
        cy = scene.y[stars] * ny
        x0 = cx.astype(np.int64) - reach
        y0 = cy.astype(np.int64) - reach
        offsets = np.arange(width)
        dx = ((x0[:, None] + offsets).astype(np.float64) - cx[:, None])[:, None, :]
        dy = ((y0[:, None] + offsets).astype(np.float64) - cy[:, None])[:, :, None]
        core = 1.0 / (1.0 + (dx * dx + dy * dy) / (alpha * alpha))
        stamps = scene.flux[stars][:, None, None] * core * core
        for k in range(len(stars)):
            ys, xs = int(y0[k]) + width, int(x0[k]) + width
            padded[ys : ys + width, xs : xs + width] += stamps[k]
    return padded[width : width + ny, width : width + nx].copy()


@lru_cache(maxsize=32)  # the siblings of one exposure come together; 32 previews are 16 MB
def sky_image(seed: int, shape: tuple[int, int], star_width: float | None = None) -> np.ndarray:
    """:func:`sky_scene` of ``Scene.random(seed)``, cached: the products of one exposure share it.

    Parameters
    ----------
    seed
        64-bit seed of the scene.
    shape
        Image shape (ny, nx).
    star_width
        Moffat core width of stars in pixels (default: see :func:`sky_scene`).

    Returns
    -------
    numpy.ndarray
        Read-only float64 image.
    """
    image = sky_scene(Scene.random(seed), shape, star_width)
    image.setflags(write=False)
    return image


def spectrum_1d(seed: int, wavelength: np.ndarray) -> np.ndarray:
    """A smooth continuum with a few emission and absorption lines, in relative flux units.

    Parameters
    ----------
    seed
        64-bit seed.
    wavelength
        Wavelengths (any unit); the lines are placed across its range.

    Returns
    -------
    numpy.ndarray
        float64 flux, positive, about 1 on average.
    """
    u = uniform(seed, 16, stream=2)
    lo, hi = float(wavelength[0]), float(wavelength[-1])
    span = hi - lo if hi > lo else 1.0
    t = (wavelength - lo) / span
    flux = 0.6 + 0.5 * u[0] + (0.6 * u[1] - 0.3) * t + 0.4 * u[2] / (1.0 + 4.0 * t)
    for k in range(5):
        centre = 0.05 + 0.9 * u[3 + k]
        width = (0.002 + 0.006 * u[8 + k]) ** 2
        strength = 1.5 * u[13 + k % 3] - (0.4 if k == 4 else 0.0)
        d = t - centre
        flux = flux + strength * width / (d * d + width)
    return np.maximum(flux, 0.02)


def spectrum_trace(seed: int, shape: tuple[int, int], profile_width: float | None = None) -> np.ndarray:
    """A 2-D spectrum: the continuum of :func:`spectrum_1d` along x, a Moffat profile along y.

    Parameters
    ----------
    seed
        64-bit seed.
    shape
        (n_spatial, n_wave).
    profile_width
        Cross-dispersion core width in pixels (default ``n_spatial / 12``).

    Returns
    -------
    numpy.ndarray
        float64 image with the trace slightly tilted across it.
    """
    ny, nx = shape
    u = uniform(seed, 2, stream=3)
    flux = spectrum_1d(seed, np.arange(nx, dtype=np.float64))
    a = profile_width if profile_width is not None else max(0.8, ny / 12.0)
    centre = ny * (0.4 + 0.2 * u[0]) + (u[1] - 0.5) * ny * 0.1 * np.arange(nx) / nx
    dy = np.arange(ny, dtype=np.float64)[:, None] - centre[None, :]
    core = 1.0 / (1.0 + dy * dy / (a * a))
    return flux[None, :] * core * core


def stretch(image: np.ndarray, noise_seed: int, noise: float = 0.006, knee: float = 0.5) -> np.ndarray:
    """Display stretch ``x / (x + knee)`` (asinh-like, rational) to uint8, plus a little noise.

    Parameters
    ----------
    image
        Surface brightness, sky at 0.
    noise_seed
        Seed of the added noise.
    noise
        Noise sigma, in the units of ``image``.
    knee
        Brightness shown at half scale.

    Returns
    -------
    numpy.ndarray
        uint8 image of the same shape.
    """
    k = knee
    shown = image + (0.03 + noise * gaussian_noise(noise_seed, image.shape, stream=4))
    shown = np.maximum(shown, 0.0)
    scaled = shown / (shown + k)
    return np.minimum(8.0 + 247.0 * scaled, 255.0).astype(np.uint8)


def render_jpeg(pixels: np.ndarray, lines: list[str]) -> bytes:
    """Encode a uint8 grayscale image as JPEG with text ``lines`` drawn in its top-left corner.

    Parameters
    ----------
    pixels
        uint8 array (ny, nx).
    lines
        Label lines (printable ASCII), drawn with Pillow's built-in bitmap font.

    Returns
    -------
    bytes
        Baseline JPEG, quality 80, no EXIF, identical for identical input.
    """
    from PIL import Image, ImageDraw, ImageFont

    img = Image.fromarray(pixels, mode="L")
    if lines:
        draw = ImageDraw.Draw(img)
        font = ImageFont.load_default_imagefont()
        y = 2
        for line in lines:
            draw.text((3, y + 1), line, fill=0, font=font)
            draw.text((2, y), line, fill=255, font=font)
            y += 11
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    return out.getvalue()


def render_spectrum_plot(seed: int, size: tuple[int, int], lines: list[str]) -> bytes:
    """A JPEG line plot of :func:`spectrum_1d` (used for 1-D extracted spectra).

    Parameters
    ----------
    seed
        64-bit seed of the spectrum.
    size
        (width, height) in pixels.
    lines
        Label lines.

    Returns
    -------
    bytes
        The JPEG.
    """
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    n = max(16, width - 8)
    flux = spectrum_1d(seed, np.arange(n, dtype=np.float64))
    top = float(flux.max())
    margin_top = 4 + 11 * len(lines)
    ys = height - 4 - (flux / top) * (height - 8 - margin_top)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    draw.rectangle((3, margin_top, width - 4, height - 4), outline=160)
    points = [(4 + i * (width - 8) / (n - 1), float(y)) for i, y in enumerate(ys)]
    draw.line(points, fill=0, width=1)
    font = ImageFont.load_default_imagefont()
    for j, line in enumerate(lines):
        draw.text((3, 2 + 11 * j), line, fill=0, font=font)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    return out.getvalue()
