#!/usr/bin/env python3
"""Writes the small .ora fixtures the CLI tests use (standard library only; run from here).

gimp_style.ora, krita_style.ora and mypaint_style.ora follow those programs' writers (archive
order, compression, attributes; see tests/app/document/ora_compat_test.cpp for the sources) and
carry a mergedimage.png with the hand-computed composite of the scene. The others are hostile.
"""
import struct
import zipfile
import zlib

W, H = 96, 64


def png(w, h, pixels):
    """pixels(x, y) -> (r, g, b, a) straight; 8-bit RGBA PNG."""
    raw = b"".join(b"\0" + b"".join(bytes(pixels(x, y)) for x in range(w)) for y in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def rect(w, h, r, color):
    x0, y0, rw, rh = r
    return png(w, h, lambda x, y: color if x0 <= x < x0 + rw and y0 <= y < y0 + rh else (0, 0, 0, 0))


def merged():
    def px(x, y):
        if 0 <= x < 16 and 48 <= y < 64:
            return (128, 255, 128, 255)
        if 40 <= x < 56 and 24 <= y < 48:
            return (0, 0, 128, 255)
        if 40 <= x < 80 and 24 <= y < 56:
            return (0, 0, 255, 255)
        if 16 <= x < 56 and 8 <= y < 48:
            return (255, 128, 128, 255)
        return (255, 255, 255, 255)
    return png(W, H, px)


WHITE, RED, BLUE, GREEN = (255, 255, 255, 255), (255, 0, 0, 255), (0, 0, 255, 255), (0, 255, 0, 255)


def write(name, members):
    with zipfile.ZipFile(name, "w") as z:
        for member, data, stored in members:
            z.writestr(zipfile.ZipInfo(member, (2026, 1, 1, 0, 0, 0)), data,
                       zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)


def gimp():
    xml = (b"<?xml version='1.0' encoding='UTF-8'?>\n<image w=\"96\" h=\"64\"><stack>"
           b"<stack name=\"Group\" opacity=\"0.5\" visibility=\"visible\" composite-op=\"svg:src-over\">"
           b"<layer src=\"data/000-000.png\" name=\"Green\" x=\"0\" y=\"48\" opacity=\"1.0\" "
           b"visibility=\"visible\" composite-op=\"svg:screen\" /></stack>"
           b"<layer src=\"data/001.png\" name=\"Ghost\" x=\"0\" y=\"0\" opacity=\"1.0\" "
           b"visibility=\"hidden\" composite-op=\"svg:src-over\" />"
           b"<layer src=\"data/002.png\" name=\"Blue\" x=\"40\" y=\"24\" opacity=\"1.0\" "
           b"visibility=\"visible\" composite-op=\"svg:multiply\" />"
           b"<layer src=\"data/003.png\" name=\"Red\" x=\"16\" y=\"8\" opacity=\"0.5\" "
           b"visibility=\"visible\" composite-op=\"svg:src-over\" />"
           b"<layer src=\"data/004.png\" name=\"Background\" x=\"0\" y=\"0\" opacity=\"1.0\" "
           b"visibility=\"visible\" composite-op=\"svg:src-over\" /></stack></image>")
    m = merged()
    write("gimp_style.ora", [
        ("mimetype", b"image/openraster", True),
        ("data/000-000.png", rect(16, 16, (0, 0, 16, 16), GREEN), True),
        ("data/001.png", rect(W, H, (0, 0, W, H), GREEN), True),
        ("data/002.png", rect(40, 32, (0, 0, 40, 32), BLUE), True),
        ("data/003.png", rect(40, 40, (0, 0, 40, 40), RED), True),
        ("data/004.png", rect(W, H, (0, 0, W, H), WHITE), True),
        ("mergedimage.png", m, True),
        ("Thumbnails/thumbnail.png", m, True),
        ("stack.xml", xml, True),
    ])


def krita():
    xml = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           b"<image xres=\"300\" yres=\"300\" version=\"0.0.1\" h=\"64\" w=\"96\">\n"
           b" <stack isolation=\"isolate\" composite-op=\"svg:src-over\" visibility=\"visible\" "
           b"opacity=\"1\" name=\"root\">\n"
           b"  <stack isolation=\"isolate\" composite-op=\"svg:src-over\" visibility=\"visible\" "
           b"opacity=\"0.501961\" name=\"Group\">\n"
           b"   <layer src=\"data/layer5.png\" composite-op=\"svg:screen\" visibility=\"visible\" "
           b"opacity=\"1\" name=\"Green\"/>\n  </stack>\n"
           b"  <layer src=\"data/layer4.png\" composite-op=\"krita:linear_burn\" visibility=\"hidden\" "
           b"opacity=\"1\" name=\"Ghost\"/>\n"
           b"  <layer src=\"data/layer3.png\" composite-op=\"svg:multiply\" visibility=\"visible\" "
           b"opacity=\"1\" name=\"Blue\" selected=\"true\"/>\n"
           b"  <layer src=\"data/layer2.png\" composite-op=\"svg:src-over\" visibility=\"visible\" "
           b"opacity=\"0.498039\" name=\"Red\"/>\n"
           b"  <layer src=\"data/layer1.png\" composite-op=\"svg:src-over\" visibility=\"visible\" "
           b"opacity=\"1\" name=\"Background\" edit-locked=\"true\"/>\n </stack>\n</image>\n")
    m = merged()
    write("krita_style.ora", [
        ("mimetype", b"image/openraster", True),
        ("stack.xml", xml, False),
        ("data/layer1.png", rect(W, H, (0, 0, W, H), WHITE), False),
        ("data/layer2.png", rect(W, H, (16, 8, 40, 40), RED), False),
        ("data/layer3.png", rect(W, H, (40, 24, 40, 32), BLUE), False),
        ("data/layer4.png", rect(W, H, (0, 0, W, H), GREEN), False),
        ("data/layer5.png", rect(W, H, (0, 48, 16, 16), GREEN), False),
        ("mergedimage.png", m, False),
        ("Thumbnails/thumbnail.png", m, False),
    ])


def mypaint():
    xml = (b"<?xml version='1.0' encoding='UTF-8'?>\n"
           b"<image h=\"64\" version=\"0.0.5\" w=\"96\" xres=\"72\" yres=\"72\"><stack>"
           b"<stack composite-op=\"svg:src-over\" isolation=\"isolate\" name=\"Group\" "
           b"opacity=\"0.5\" visibility=\"visible\" x=\"0\" y=\"0\">"
           b"<layer composite-op=\"svg:screen\" name=\"Green\" opacity=\"1.0\" "
           b"src=\"data/layer004.png\" visibility=\"visible\" x=\"-64\" y=\"0\" /></stack>"
           b"<layer composite-op=\"svg:src-over\" name=\"Ghost\" opacity=\"1.0\" "
           b"src=\"data/layer003.png\" visibility=\"hidden\" x=\"0\" y=\"0\" />"
           b"<layer composite-op=\"svg:multiply\" edit-locked=\"false\" name=\"Blue\" opacity=\"1.0\" "
           b"selected=\"true\" src=\"data/layer002.png\" visibility=\"visible\" x=\"0\" y=\"0\" />"
           b"<layer composite-op=\"svg:src-over\" name=\"Red\" opacity=\"0.5\" "
           b"src=\"data/layer001.png\" visibility=\"visible\" x=\"0\" y=\"0\" />"
           b"<layer background_tile=\"data/background_tile.png\" composite-op=\"svg:src-over\" "
           b"name=\"background\" opacity=\"1.0\" src=\"data/background.png\" visibility=\"visible\" "
           b"x=\"0\" y=\"0\" /></stack></image>")
    m = merged()
    write("mypaint_style.ora", [
        ("mimetype", b"image/openraster", True),
        ("data/background_tile.png", rect(64, 64, (0, 0, 64, 64), WHITE), False),
        ("data/background.png", rect(W, H, (0, 0, W, H), WHITE), False),
        ("data/layer001.png", rect(128, 64, (16, 8, 40, 40), RED), False),
        ("data/layer002.png", rect(128, 64, (40, 24, 40, 32), BLUE), False),
        ("data/layer003.png", rect(128, 64, (0, 0, 128, 64), GREEN), False),
        ("data/layer004.png", rect(128, 64, (64, 48, 16, 16), GREEN), False),
        ("stack.xml", xml, False),
        ("mergedimage.png", m, False),
        ("Thumbnails/thumbnail.png", m, False),
    ])


def hostile():
    small = rect(4, 4, (0, 0, 4, 4), RED)
    write("traversal.ora", [
        ("mimetype", b"image/openraster", True),
        ("stack.xml", b"<image w=\"8\" h=\"8\"><stack><layer src=\"../../evil.png\"/></stack></image>", False),
        ("../../evil.png", small, False),
    ])
    write("huge_canvas.ora", [
        ("mimetype", b"image/openraster", True),
        ("stack.xml", b"<image w=\"100000\" h=\"100000\"><stack/></image>", False),
    ])
    write("no_mimetype.ora", [("stack.xml", b"<image w=\"8\" h=\"8\"><stack/></image>", False)])
    with open("gimp_style.ora", "rb") as f:
        data = f.read()
    with open("truncated.ora", "wb") as f:
        f.write(data[: len(data) * 2 // 3])


if __name__ == "__main__":
    gimp()
    krita()
    mypaint()
    hostile()
