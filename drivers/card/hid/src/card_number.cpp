#include "drivers/card/card_number.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace drivers {
namespace {

DriverError number_error(std::string message) { return DriverError{"card.number", std::move(message)}; }

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

std::string decimal10(std::uint32_t v) {
    std::array<char, 11> buf{};
    std::snprintf(buf.data(), buf.size(), "%010u", static_cast<unsigned>(v));
    return std::string(buf.data(), 10);
}

std::uint32_t big_endian(std::span<const std::uint8_t> b) {
    std::uint32_t v = 0;
    for (const auto x : b) v = (v << 8) | x;
    return v;
}

// 10 decimal digits that fit 32 bits.
Expected<std::uint32_t> parse_dec10(std::string_view s, const char* format) {
    std::size_t digits = 0;
    for (const char c : s) {
        if (c < '0' || c > '9')
            return number_error(std::string("the reader sent something other than digits; the ") + format +
                                " format is 10 digits");
        ++digits;
    }
    if (digits != 10)
        return number_error("the reader sent " + std::to_string(digits) + " digits; the " + format +
                            " format is 10 digits");
    std::uint64_t v = 0;
    for (const char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > 0xFFFFFFFFu)
        return number_error(std::string("the reader sent a number too large for a 4-byte card number (") + format +
                            ")");
    return static_cast<std::uint32_t>(v);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Expected<std::vector<std::uint8_t>> parse_hex(std::string_view s, const char* format) {
    for (const char c : s)
        if (hex_value(c) < 0)
            return number_error(std::string("the reader sent a character that is not a hex digit; the ") + format +
                                " format is 8, 14 or 20 hex digits");
    if (s.size() != 8 && s.size() != 14 && s.size() != 20)
        return number_error("the reader sent " + std::to_string(s.size()) + " hex digits; the " + format +
                            " format is 8, 14 or 20 (a 4-, 7- or 10-byte card number)");
    std::vector<std::uint8_t> bytes(s.size() / 2);
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<std::uint8_t>(hex_value(s[2 * i]) * 16 + hex_value(s[2 * i + 1]));
    return bytes;
}

}  // namespace

const char* card_format_name(CardFormat f) {
    switch (f) {
        case CardFormat::Dec10:
            return "dec10";
        case CardFormat::Dec10Reversed:
            return "dec10-reversed";
        case CardFormat::Hex:
            return "hex";
        case CardFormat::HexReversed:
            return "hex-reversed";
        case CardFormat::Raw:
            return "raw";
    }
    return "?";
}

Expected<CardFormat> parse_card_format(std::string_view name) {
    for (const auto f :
         {CardFormat::Dec10, CardFormat::Dec10Reversed, CardFormat::Hex, CardFormat::HexReversed, CardFormat::Raw})
        if (name == card_format_name(f)) return f;
    return DriverError{"card.format_name",
                       "unknown card number format; use \"dec10\", \"dec10-reversed\", \"hex\", \"hex-reversed\" "
                       "or \"raw\""};
}

Expected<std::string> canonical_card_number(std::span<const std::uint8_t> uid) {
    if (uid.empty()) return DriverError{"card.uid", "the reader returned an empty card number"};
    if (uid.size() > 10)
        return DriverError{"card.uid", "the reader returned a card number of " + std::to_string(uid.size()) +
                                           " bytes; at most 10 are expected"};
    if (uid.size() <= 4) return decimal10(big_endian(uid));
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(uid.size() * 2);
    for (const auto b : uid) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0x0F]);
    }
    return out;
}

Expected<std::string> normalise_card_number(std::string_view text, CardFormat format) {
    const auto s = trim(text);
    const char* name = card_format_name(format);
    switch (format) {
        case CardFormat::Dec10: {
            auto v = parse_dec10(s, name);
            if (!v) return v.error();
            return decimal10(*v);
        }
        case CardFormat::Dec10Reversed: {
            auto v = parse_dec10(s, name);
            if (!v) return v.error();
            const std::uint32_t x = *v;
            const std::uint32_t swapped = ((x & 0xFFu) << 24) | ((x & 0xFF00u) << 8) | ((x >> 8) & 0xFF00u) | (x >> 24);
            return decimal10(swapped);
        }
        case CardFormat::Hex:
        case CardFormat::HexReversed: {
            auto bytes = parse_hex(s, name);
            if (!bytes) return bytes.error();
            if (format == CardFormat::HexReversed) std::reverse(bytes->begin(), bytes->end());
            return canonical_card_number(*bytes);
        }
        case CardFormat::Raw: {
            if (s.empty()) return number_error("the reader sent an empty line");
            if (s.size() > kMaxRawToken)
                return number_error("the reader sent " + std::to_string(s.size()) + " characters; at most " +
                                    std::to_string(kMaxRawToken) + " are accepted");
            if (std::any_of(s.begin(), s.end(), [](char c) {
                    const auto u = static_cast<unsigned char>(c);
                    return u < 0x20 || u == 0x7F;
                }))
                return number_error("the reader sent control characters");
            return std::string(s);
        }
    }
    return number_error("unknown card number format");
}

}  // namespace drivers
