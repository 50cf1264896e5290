"""Which encoding an uploaded CSV file is in, decided per file, and text that changed only by re-encoding.

A file is read as one encoding or refused, never guessed line by line:
- UTF-8, with or without byte-order mark (Excel's "CSV UTF-8", most other programs);
- UTF-16 with byte-order mark (Excel's "Unicode text", tab-separated);
- Windows-1252 (older Norwegian Excel's "CSV") only when the bytes are not UTF-8, hold no UTF-8 sequence at
  all (a file with some UTF-8 and some not has been mixed: one stray byte must not turn "Bærekraft" into
  "BÃ¦rekraft") and decode to plausible Norwegian text: letters and the usual typographic signs.
Otherwise the file is refused with the line where it went wrong.

`changed_only_by_encoding` catches what got through anyway (a garbled cell pasted into an .xlsx): the import
refuses to replace a stored text with the same text garbled by a wrong decoding.
"""

import re

from django.utils.translation import gettext_lazy as _

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A multi-byte UTF-8 sequence: a lead byte and its continuation bytes.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Signs that Norwegian text written in Windows-1252 contains besides letters and ASCII.
_TYPOGRAPHY = set("\u00a0–—‘’‚“”„«»…•·€§°½²³×")
_WRONG_DECODINGS = (("utf-8", "cp1252"), ("utf-8", "latin-1"), ("cp1252", "utf-8"))
SAVE_AS_UTF8 = _("Save the file from Excel as «CSV UTF-8 (kommadelt)» and upload it again.")


class EncodingRefused(ValueError):
    """The message (str(error)) names the line and says what to do."""


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse(message, line: int) -> EncodingRefused:
    return EncodingRefused(f"{message % {'line': line}} {SAVE_AS_UTF8}")


def decode_csv(data: bytes) -> str:
    """The text of the file; raises EncodingRefused with a message for the person uploading."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise _refuse(_("Line %(line)d of the file is not valid UTF-16 (Unicode text)."), line) from error
    has_bom = data.startswith(UTF8_BOM)
    try:
        return data[len(UTF8_BOM) :].decode("utf-8") if has_bom else data.decode("utf-8")
    except UnicodeDecodeError as error:
        invalid_line = _line_at(data, error.start + (len(UTF8_BOM) if has_bom else 0))
        if has_bom or _UTF8_SEQUENCE.search(data):
            raise _refuse(
                _(
                    "The file mixes text encodings: line %(line)d is not UTF-8 although the rest of the file is, "
                    "so its letters would be garbled."
                ),
                invalid_line,
            ) from error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _refuse(
            _("The file's text encoding cannot be recognised (line %(line)d)."), _line_at(data, error.start)
        ) from error
    strange = {char for char in set(text) if not (char.isascii() or char.isalpha() or char in _TYPOGRAPHY)}
    if strange:
        line = next(number for number, line in enumerate(text.split("\n"), start=1) if strange & set(line))
        raise _refuse(
            _(
                "The file's text encoding cannot be recognised: line %(line)d has characters that are not "
                "Norwegian text."
            ),
            line,
        )
    return text


def changed_only_by_encoding(stored: str, new: str) -> bool:
    """True when `new` is `stored` garbled by reading its bytes in the wrong encoding. (The reverse, a garbled
    stored text replaced by the right one, is a correction and allowed.)"""
    if stored == new or not stored or not new:
        return False
    for written, read in _WRONG_DECODINGS:
        try:
            garbled = stored.encode(written).decode(read, errors="replace")
        except UnicodeEncodeError:
            continue
        # Windows-1252 read as UTF-8 loses letters to U+FFFD; decoding cleanly means `new` repairs `stored`.
        if garbled == new and (read != "utf-8" or "\ufffd" in new):
            return True
    return False
