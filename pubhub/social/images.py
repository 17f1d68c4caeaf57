"""Uploaded images, made safe to publish: decoded with Pillow within bounds (a decompression
bomb is refused before its pixels are read), turned upright, re-encoded from the pixels alone
(so EXIF, GPS positions, XMP and comments never leave the server), shrunk to what apps show,
with a small preview and a blurhash. CPU-bound: callers run it in a thread.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import blurhash
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..errors import Unprocessable

# Pillow format -> (media type, file extension). What apps may upload (Mastodon's image types).
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"),
           "GIF": ("image/gif", "gif")}
MEDIA_TYPES = tuple(media_type for media_type, _ in FORMATS.values())
# An upload may be at most 8K; what is kept at most 4K (Mastodon's image matrix limit, about
# 8.3 million pixels); the preview is what a timeline shows.
MAX_INPUT = (7680, 4320)
MAX_STORED = (3840, 2160)
PREVIEW = (640, 360)
MAX_FRAMES = 300
BLURHASH_COMPONENTS = (4, 3)


@dataclass(frozen=True)
class Processed:
    media_type: str
    extension: str
    data: bytes
    width: int
    height: int
    preview: bytes  # always JPEG
    preview_width: int
    preview_height: int
    blurhash: str


def process_image(data: bytes) -> Processed:
    """The image re-encoded, or Unprocessable (422) saying why it is refused."""
    image = _open(data)
    media_type, extension = FORMATS[image.format]
    if image.format == "GIF" and getattr(image, "n_frames", 1) > 1:
        stored, size = _animation(image)
        first = image.convert("RGB")
    else:
        first = _upright(image)
        first.thumbnail(MAX_STORED, Image.Resampling.LANCZOS)
        stored, size = _encode(first, image.format), first.size
    preview = first.copy()
    preview.thumbnail(PREVIEW, Image.Resampling.LANCZOS)
    preview_bytes = _encode(preview.convert("RGB"), "JPEG")
    return Processed(media_type=media_type, extension=extension, data=stored, width=size[0], height=size[1],
                     preview=preview_bytes, preview_width=preview.width, preview_height=preview.height,
                     blurhash=_blurhash(preview))


AVATAR = (400, 400)  # as Mastodon keeps a profile's pictures
HEADER = (1500, 500)


def process_avatar(data: bytes, size: tuple[int, int] = AVATAR) -> Processed:
    """A profile picture (AVATAR) or header (HEADER): the middle of the image at that size,
    re-encoded like any upload (an animation keeps its first frame)."""
    image = _open(data)
    square = ImageOps.fit(_upright(image) if image.format != "GIF" else image.convert("RGBA"), size,
                          Image.Resampling.LANCZOS)
    fmt = image.format if image.format != "GIF" else "PNG"
    media_type, extension = FORMATS[fmt]
    preview = square.convert("RGB")
    preview_bytes = _encode(preview.copy(), "JPEG")
    return Processed(media_type=media_type, extension=extension, data=_encode(square, fmt), width=size[0],
                     height=size[1], preview=preview_bytes, preview_width=size[0], preview_height=size[1],
                     blurhash=_blurhash(preview))


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():  # the size is checked below, before any pixel is decoded
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise Unprocessable("the file is not an image of a supported type (JPEG, PNG, WebP, GIF)") from exc
    if image.format not in FORMATS:
        raise Unprocessable(f"images of type {image.format} are not supported (JPEG, PNG, WebP, GIF)")
    if image.width * image.height > MAX_INPUT[0] * MAX_INPUT[1]:
        raise Unprocessable(f"the image is {image.width}x{image.height} pixels; at most {MAX_INPUT[0]}x{MAX_INPUT[1]}")
    if getattr(image, "n_frames", 1) > MAX_FRAMES:
        raise Unprocessable(f"an animation may have at most {MAX_FRAMES} frames")
    try:
        image.load()  # decode now: a truncated or corrupt file is refused here, not later
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Unprocessable("the image could not be decoded (corrupt or truncated)") from exc
    return image


def _upright(image: Image.Image) -> Image.Image:
    """Turned the way the camera's EXIF orientation says (the tag itself is not kept), in a mode
    the format can write back."""
    turned = ImageOps.exif_transpose(image)
    if image.format == "JPEG":
        return turned.convert("RGB")
    if turned.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        return turned.convert("RGBA")
    return turned


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Only the pixels: a fresh `info` means no EXIF, ICC, XMP or comment is written."""
    image.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, fmt, optimize=True)
    return out.getvalue()


def _animation(image: Image.Image) -> tuple[bytes, tuple[int, int]]:
    """A GIF's frames written again (each shrunk to fit), with their timing and nothing else."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        copy = frame.convert("RGBA")
        copy.thumbnail(MAX_STORED, Image.Resampling.LANCZOS)
        frames.append(copy)
    out = io.BytesIO()
    frames[0].info = {}
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0, disposal=2)
    return out.getvalue(), frames[0].size


def _blurhash(image: Image.Image) -> str:
    small = image.convert("RGB")
    small.thumbnail((32, 32))
    width, height = small.size
    raw = small.tobytes()  # r, g, b of each pixel, row by row
    rows = [[list(raw[i:i + 3]) for i in range(row * width * 3, (row + 1) * width * 3, 3)] for row in range(height)]
    return blurhash.encode(rows, *BLURHASH_COMPONENTS)
