#pragma once
// One physical card, one identity: the canonical card number.
//
// Readers print the same card differently. A PC/SC reader returns the UID
// bytes; a Mifare keyboard-wedge reader often types them byte-reversed in
// decimal; an EM4100 reader types 10 decimal digits. Whatever the reader, the
// number handed to the kiosk is the canonical form defined here, so a
// resident enrolled at one terminal is recognised at another.
//
// Canonical form (the UID bytes taken in the order PC/SC GET DATA returns
// them, i.e. big-endian):
//   - UIDs of 1 to 4 bytes: the unsigned value in decimal, zero-padded to 10
//     digits ("04 A1 B2 C3" -> "0077706947").
//   - Longer UIDs (7-byte double and 10-byte triple size, up to 10 bytes):
//     uppercase hex, two digits per byte, no separators ("04112233445566").
//   - EM4100 cards (125 kHz) have no PC/SC UID; their readers' 10-digit
//     decimal ("8H10D") is taken as canonical as it is.
//   - Raw tokens (QR codes) are not card UIDs: they pass through, trimmed.
//
// Shared by drivers_hid and drivers_pcsc; it lives in its own small target,
// drivers_card_number (declared in drivers/card/hid/CMakeLists.txt), which
// both link. Pure functions: no I/O, no allocation beyond the result, safe on
// any thread.
//
// Privacy: error messages say what was wrong (counts, lengths, the format)
// and never repeat the input, which may be a card number.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "drivers/common/expected.hpp"

namespace drivers {

// How a reader prints card numbers: the `format` key of
// [devices.card_reader] in kiosk.toml.
enum class CardFormat {
    Dec10,          // "dec10": 10 decimal digits, already canonical (EM4100 "8H10D", most ID readers)
    Dec10Reversed,  // "dec10-reversed": 10 decimal digits of the byte-reversed 4-byte UID (Mifare wedge readers)
    Hex,            // "hex": the UID bytes in PC/SC order, 8, 14 or 20 hex digits, any case
    HexReversed,    // "hex-reversed": the same, bytes reversed
    Raw,            // "raw": QR codes and other tokens: trimmed, otherwise as read
};

// "dec10", "dec10-reversed", "hex", "hex-reversed", "raw".
[[nodiscard]] const char* card_format_name(CardFormat f);

// Parses a config value. Error "card.format_name" names the accepted values.
[[nodiscard]] Expected<CardFormat> parse_card_format(std::string_view name);

// The longest token accepted in Raw format (bytes, after trimming).
inline constexpr std::size_t kMaxRawToken = 512;

// The canonical number of a UID given as bytes in PC/SC order (1 to 10
// bytes). Error "card.uid" for an empty or longer UID.
[[nodiscard]] Expected<std::string> canonical_card_number(std::span<const std::uint8_t> uid);

// Normalises what a reader printed, read in `format`, to the canonical form.
// Leading and trailing spaces/tabs/CR/LF are ignored in every format.
// Errors (all code "card.number", plain sentences without the input):
//   Dec10, Dec10Reversed: not exactly 10 digits, a non-digit, or a value above
//     4294967295 (does not fit 4 bytes).
//   Hex, HexReversed: a non-hex character, or a length other than 8, 14 or 20
//     digits (4-, 7- and 10-byte UIDs). Shorter or odd lengths are refused
//     because a truncated number must never become another card's identity.
//   Raw: empty after trimming, longer than kMaxRawToken, or containing
//     control characters.
[[nodiscard]] Expected<std::string> normalise_card_number(std::string_view text, CardFormat format);

}  // namespace drivers
