"""Uploaded images are re-encoded from their pixels alone: metadata (EXIF with a GPS position,
comments) never survives, the camera's orientation is applied, sizes are bounded, and what is
not an image of a supported type, or too large, is refused with a reason."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pubhub.errors import Unprocessable
from pubhub.social.images import MAX_STORED, PREVIEW, process_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_location(size=(800, 600), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 54.0, 0.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def encoded(fmt: str, size=(64, 48), mode="RGB", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 10, 10) if mode == "RGB" else None).save(out, fmt, **options)
    return out.getvalue()


def test_exif_with_a_gps_position_and_comments_are_gone():
    original = jpeg_with_location()
    assert b"CameraMaker" in original and b"taken at home" in original
    result = process_image(original)
    stored = Image.open(io.BytesIO(result.data))
    assert not stored.getexif() and "comment" not in stored.info and "exif" not in stored.info
    assert b"CameraMaker" not in result.data and b"taken at home" not in result.data and b"Exif" not in result.data
    assert b"Exif" not in result.preview
    assert (result.media_type, result.extension, result.width, result.height) == ("image/jpeg", "jpg", 800, 600)


def test_the_cameras_orientation_is_applied_then_dropped():
    result = process_image(jpeg_with_location((800, 600), orientation=6))  # rotated 90°
    assert (result.width, result.height) == (600, 800)
    assert ORIENTATION not in Image.open(io.BytesIO(result.data)).getexif()


def test_a_large_image_is_shrunk_to_4k_with_a_small_preview_and_a_blurhash():
    result = process_image(encoded("PNG", size=(5000, 2500)))
    assert (result.width, result.height) == (MAX_STORED[0], MAX_STORED[0] // 2)
    preview = Image.open(io.BytesIO(result.preview))
    assert preview.format == "JPEG" and preview.size == (PREVIEW[0], PREVIEW[0] // 2)
    assert (result.preview_width, result.preview_height) == preview.size
    assert 6 <= len(result.blurhash) <= 30 and result.blurhash.isascii()


@pytest.mark.parametrize("fmt, media_type", [("PNG", "image/png"), ("WEBP", "image/webp"), ("GIF", "image/gif")])
def test_each_supported_type_keeps_its_type(fmt, media_type):
    result = process_image(encoded(fmt))
    assert result.media_type == media_type
    assert Image.open(io.BytesIO(result.data)).format == fmt


def test_a_transparent_png_stays_transparent():
    result = process_image(encoded("PNG", mode="RGBA"))
    assert Image.open(io.BytesIO(result.data)).mode in ("RGBA", "P", "LA")


def test_an_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (40, 30), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0, comment=b"secret")
    result = process_image(out.getvalue())
    stored = Image.open(io.BytesIO(result.data))
    assert stored.n_frames == 3 and b"secret" not in result.data


@pytest.mark.parametrize("data, reason", [
    (b"not an image at all", "not an image"),
    (encoded("BMP"), "BMP are not supported"),
    (encoded("TIFF"), "TIFF are not supported"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
])
def test_what_is_not_a_supported_image_is_refused(data, reason):
    with pytest.raises(Unprocessable, match=reason):
        process_image(data)


def test_a_truncated_image_is_refused():
    with pytest.raises(Unprocessable, match="corrupt or truncated|not an image"):
        process_image(jpeg_with_location()[:400])


def test_more_pixels_than_8k_are_refused_before_they_are_decoded():
    # A PNG of 10,000 x 10,000 black pixels compresses to a few kilobytes: a decompression bomb.
    bomb = encoded("PNG", size=(10_000, 10_000), mode="1")
    assert len(bomb) < 100_000
    with pytest.raises(Unprocessable, match="10000x10000 pixels; at most 7680x4320"):
        process_image(bomb)
