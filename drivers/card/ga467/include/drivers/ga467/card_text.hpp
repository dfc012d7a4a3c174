#pragma once
// GA 467 read replies and the 256-byte text area: UCS-2LE -> UTF-8, fields
// trimmed, the card type told apart by the flag at offset 248, the ID number
// checked (GB 11643-1999, ISO 7064 MOD 11-2).
//
// Pure: no I/O; any thread. The photo (and fingerprint) bytes of a read reply
// are skipped over: never copied, never decoded.
//
// Errors (DriverError codes; messages are plain and never hold card data):
//   "ga467.read_reply"  the reply's layout is wrong (lengths do not add up)
//   "ga467.card_type"   the card-type flag is not one we know
//   "ga467.card_text"   the text area holds no ID number (blank or unreadable)
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "drivers/card/card_event.hpp"
#include "drivers/common/expected.hpp"
#include "drivers/ga467/protocol.hpp"

namespace drivers::ga467 {

// Which read command the reply answers: 30 01 (text + photo) or 30 10
// (text + photo + fingerprint; FP_LEN follows PHOTO_LEN, text starts 2 later).
enum class ReadKind { TextPhoto, TextPhotoFingerprint };

// The text area out of a read reply's data (the bytes between SW3 and CHK):
// TEXT_LEN must be 256, PHOTO_LEN at most 1024, FP_LEN at most 1024, and the
// data exactly as long as they say.
[[nodiscard]] Expected<std::span<const std::uint8_t, kTextSize>> text_area(std::span<const std::uint8_t> data,
                                                                           ReadKind kind = ReadKind::TextPhoto);

// Decodes a 256-byte text area for every card type in hardware.md:
//   flag ' ' (or NUL) resident ID card, 'J' HK/Macau/Taiwan residence permit,
//   'I' foreign permanent resident card, 'Y' 2023 foreign permanent resident card.
// Fields are trimmed (spaces, U+3000, NUL padding). The ID number is checked:
//   resident ID cards, 'J' and 'Y' permits: GB 11643 -> id_number_check Valid/Invalid
//   'I' cards (15 characters, another scheme): NotChecked.
// A bad check digit is not an error here: the text is returned with
// id_number_check = Invalid, so the caller can tell the resident so.
[[nodiscard]] Expected<IdCardText> decode_text(std::span<const std::uint8_t, kTextSize> text);

// text_area() + decode_text() on a parsed read reply with SW3 = 90.
[[nodiscard]] Expected<IdCardText> decode_read_reply(const Response& reply, ReadKind kind = ReadKind::TextPhoto);

// UCS-2LE (UTF-16LE; surrogate pairs joined, lone surrogates -> U+FFFD) to
// UTF-8, cut at the first NUL and trimmed of spaces, tabs and U+3000.
// An odd final byte is ignored.
[[nodiscard]] std::string ucs2le_to_utf8(std::span<const std::uint8_t> bytes);

// GB 11643-1999: 17 digits, then the check character "10X98765432"[sum mod 11]
// ('x' accepted for 'X').
[[nodiscard]] bool gb11643_valid(std::string_view id_number);
// The check character for the first 17 digits, or '\0' when they are not 17 digits.
[[nodiscard]] char gb11643_check_char(std::string_view first17);

}  // namespace drivers::ga467
