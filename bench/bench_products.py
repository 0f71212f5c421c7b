"""Time product rendering per kind: the hand FITS writer against astropy's, and JPEGs.

Every product of a generated archive is rendered once by the generator (size and md5) and
again by the server for each download, so the per-file cost bounds how fast a 1e6-1e7 product
archive can be generated. For FITS kinds the same content (cards and arrays from
``fits_content``) is written by ``fitsbytes.render_fits`` and by astropy
(``HDUList.writeto`` into memory), so the ratio compares the writers alone; "content" is
the synthetic data and header building that both share.

Run::

    PYTHONPATH=src .venv/bin/python bench/bench_products.py [--n 300]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from jwstarchive.catalog.fitsbytes import ImageHDU, TableHDU, render_fits
from jwstarchive.catalog.products import fits_content, fits_keywords, render_product

SI_ROW: dict[str, Any] = {
    "program": "1410",
    "observtn": 1,
    "visit": 1,
    "visitgrp": 2,
    "seq_id": 1,
    "act_id": "01",
    "exposure": 1,
    "targname": "NGC 1234",
    "targ_ra": 53.1625,
    "targ_dec": -27.7914,
    "instrume": "NIRCAM",
    "detector": "NRCA1",
    "filter": "F200W",
    "pupil": "CLEAR",
    "readpatt": "SHALLOW4",
    "nints": 2,
    "ngroups": 6,
    "nframes": 4,
    "subarray": "FULL",
    "exp_type": "NRC_IMAGE",
    "date_beg": "/Date(1657620672123)/",
    "date_end": "/Date(1657621272123)/",
    "date_obs": "/Date(1657620672123)/",
    "expstart": 59772.42445,
    "effexptm": 601.2,
    "tsovisit": "f",
    "title": "A program title of moderate length for the benchmark",
}
# pad to a realistic primary header (~150 keywords, as real JWST files have)
SI_ROW.update({f"xkey{i:03d}": (i * 1.25 if i % 3 else f"value {i}") for i in range(120)})

KINDS = ("uncal", "rate", "rateints", "cal", "calints", "i2d", "s2d", "s3d", "x1d", "x1dints", "segm")
PICTURES = (("cal.jpg", "PREVIEW"), ("cal_thumb.jpg", "THUMBNAIL"), ("x1d.jpg", "PREVIEW"))


def rows_for(suffix: str, n: int, keywords: dict[str, Any]) -> list[dict[str, Any]]:
    """``n`` rows of distinct exposures (so no scene cache is hit)."""
    return [
        {
            "filename": f"jw01410001001_02101_{i:05d}_nrca1_{suffix}",
            "instrument": "NIRCAM",
            "filters": "F200W;CLEAR",
            "exp_type": "NRC_IMAGE",
            "em_min": 1.755e-6,
            "em_max": 2.226e-6,
            "cal_ver": "1.11.4",
            "crds_ctx": "jwst_1140.pmap",
            "keywords": keywords,
        }
        for i in range(1, n + 1)
    ]


def astropy_write(content: tuple[list[Any], list[ImageHDU | TableHDU]]) -> bytes:
    """The same content written by astropy.io.fits."""
    from astropy.io import fits

    cards, hdus = content
    hdulist = fits.HDUList([fits.PrimaryHDU(header=fits.Header([fits.Card(*c) for c in cards]))])
    for hdu in hdus:
        header = fits.Header([fits.Card(*c) for c in hdu.cards])
        if isinstance(hdu, ImageHDU):
            hdulist.append(fits.ImageHDU(data=hdu.data, header=header, name=hdu.extname))
        else:
            formats = {"f8": "D", "f4": "E", "i4": "J", "i2": "I", "i8": "K", "u1": "B"}
            columns = [
                fits.Column(name=name, format=formats[f"{v.dtype.kind}{v.dtype.itemsize}"], unit=unit or None, array=v)
                for name, v, unit in hdu.columns
            ]
            hdulist.append(fits.BinTableHDU.from_columns(columns, header=header, name=hdu.extname))
    out = io.BytesIO()
    hdulist.writeto(out)
    return out.getvalue()


def per_call(func: Callable[[Any], Any], items: list[Any], repeat: int = 3) -> float:
    """Seconds per call of ``func`` over ``items``: the best of ``repeat`` passes, after a warm-up call."""
    func(items[0])
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            func(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best


def main(argv: list[str] | None = None) -> None:
    """Print per-kind timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="rows per kind (default 300)")
    args = parser.parse_args(argv)
    n = args.n

    import astropy
    import PIL

    keywords = fits_keywords(SI_ROW)
    print(f"python {platform.python_version()}, numpy {np.__version__}, astropy {astropy.__version__}, ", end="")
    print(f"Pillow {PIL.__version__}; {platform.processor() or platform.machine()}; n={n} per kind")
    print(f"fits_keywords ({len(SI_ROW)} SI columns -> {len(keywords)} keywords): ", end="")
    print(f"{per_call(fits_keywords, [SI_ROW] * n) * 1e6:.0f} us")
    print()
    header = (
        f"{'kind':<12}{'bytes':>8}{'content':>10}{'hand write':>12}{'astropy write':>15}"
        f"{'write ratio':>13}{'hand total':>12}{'astropy total':>15}{'md5':>8}"
    )
    print(header)
    print("-" * len(header))
    for kind in KINDS:
        rows = rows_for(f"{kind}.fits", n, keywords)
        contents = [fits_content(r) for r in rows]
        t_content = per_call(fits_content, rows)
        t_hand = per_call(lambda c: render_fits(*c), contents)
        astro_n = max(20, n // 10)
        t_astropy = per_call(astropy_write, contents[:astro_n])
        data = render_product(rows[0])
        t_md5 = per_call(lambda d: hashlib.md5(d).hexdigest(), [data] * n)
        assert len(astropy_write(contents[0])) == len(data), kind
        print(
            f"{kind:<12}{len(data):>8}{t_content * 1e3:>8.3f}ms{t_hand * 1e3:>10.3f}ms{t_astropy * 1e3:>13.3f}ms"
            f"{t_astropy / t_hand:>12.0f}x{(t_content + t_hand) * 1e3:>10.3f}ms"
            f"{(t_content + t_astropy) * 1e3:>13.3f}ms{t_md5 * 1e6:>6.0f}us"
        )
    print()
    print(f"{'picture':<16}{'bytes':>8}{'render':>11}")
    for suffix, product_type in PICTURES:
        rows = rows_for(suffix, n, {})
        for row in rows:
            row["product_type"] = product_type
        t = per_call(render_product, rows)
        print(f"{suffix:<16}{len(render_product(rows[0])):>8}{t * 1e3:>9.3f}ms")
    print()
    print("reproduce: PYTHONPATH=src .venv/bin/python bench/bench_products.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
