#include "drivers/ga467/card_text.hpp"

#include <array>
#include <vector>

namespace drivers::ga467 {

namespace {

void put_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

bool blank(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == U'\n' || c == U'\u3000'; }

std::uint16_t unit_at(std::span<const std::uint8_t> b, std::size_t i) {
    return static_cast<std::uint16_t>(b[2 * i] | (b[2 * i + 1] << 8));
}

// A field of the text area: `offset` and `size` in bytes, as in hardware.md.
std::string field(std::span<const std::uint8_t, kTextSize> text, std::size_t offset, std::size_t size) {
    return ucs2le_to_utf8(text.subspan(offset, size));
}

// A field stored in two pieces (the 2023 card's English name), joined before trimming.
std::string field2(std::span<const std::uint8_t, kTextSize> text, std::size_t o1, std::size_t n1, std::size_t o2,
                   std::size_t n2) {
    std::array<std::uint8_t, kTextSize> joined{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < n1; ++i) joined[n++] = text[o1 + i];
    for (std::size_t i = 0; i < n2; ++i) joined[n++] = text[o2 + i];
    std::string s = ucs2le_to_utf8(std::span<const std::uint8_t>(joined.data(), n));
    joined.fill(0);
    return s;
}

IdCardText::NumberCheck check_number(const std::string& id) {
    return gb11643_valid(id) ? IdCardText::NumberCheck::Valid : IdCardText::NumberCheck::Invalid;
}

std::uint16_t be16(std::span<const std::uint8_t> d, std::size_t at) {
    return static_cast<std::uint16_t>(d[at] << 8 | d[at + 1]);
}

}  // namespace

std::string ucs2le_to_utf8(std::span<const std::uint8_t> bytes) {
    const std::size_t units = bytes.size() / 2;
    std::vector<char32_t> cps;
    cps.reserve(units);
    for (std::size_t i = 0; i < units; ++i) {
        const std::uint16_t u = unit_at(bytes, i);
        if (u == 0) break;  // NUL padding ends the field
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
            const std::uint16_t lo = unit_at(bytes, i + 1);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cps.push_back(0x10000 + ((static_cast<char32_t>(u) - 0xD800) << 10) + (lo - 0xDC00));
                ++i;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            cps.push_back(U'\uFFFD');  // a lone surrogate
            continue;
        }
        cps.push_back(u);
    }
    std::size_t first = 0, last = cps.size();
    while (first < last && blank(cps[first])) ++first;
    while (last > first && blank(cps[last - 1])) --last;
    std::string out;
    out.reserve((last - first) * 3);
    for (std::size_t i = first; i < last; ++i) {
        const char32_t c = cps[i];
        put_utf8(out, (c < 0x20 || c == 0x7F) ? U'\uFFFD' : c);  // no control characters in card text
    }
    return out;
}

char gb11643_check_char(std::string_view first17) {
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    if (first17.size() != 17) return '\0';
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        const char c = first17[i];
        if (c < '0' || c > '9') return '\0';
        sum += (c - '0') * kWeights[i];
    }
    return "10X98765432"[sum % 11];
}

bool gb11643_valid(std::string_view id) {
    if (id.size() != 18) return false;
    const char want = gb11643_check_char(id.substr(0, 17));
    if (want == '\0') return false;
    const char got = id[17] == 'x' ? 'X' : id[17];
    return got == want;
}

Expected<std::span<const std::uint8_t, kTextSize>> text_area(std::span<const std::uint8_t> data, ReadKind kind) {
    const DriverError bad{"ga467.read_reply", "the reader's reply to a card read does not have the expected layout"};
    const std::size_t lengths = kind == ReadKind::TextPhoto ? 4 : 6;
    if (data.size() < lengths) return bad;
    const std::size_t text_len = be16(data, 0);
    const std::size_t photo_len = be16(data, 2);
    const std::size_t fp_len = kind == ReadKind::TextPhoto ? 0 : be16(data, 4);
    if (text_len != kTextSize || photo_len > kPhotoSize || fp_len > kFingerprintMax) return bad;
    if (data.size() != lengths + text_len + photo_len + fp_len) return bad;
    // The photo and fingerprint that follow the text are left where they are.
    return data.subspan(lengths).first<kTextSize>();
}

Expected<IdCardText> decode_text(std::span<const std::uint8_t, kTextSize> text) {
    const std::uint16_t flag = unit_at(text, 248 / 2);
    IdCardText t;
    switch (flag) {
        case 0x0000:
        case u' ':
            t.document = IdDocument::ResidentIdCard;
            t.name = field(text, 0, 30);
            t.gender = field(text, 30, 2);
            t.ethnicity = field(text, 32, 4);
            t.birth = field(text, 36, 16);
            t.address = field(text, 52, 70);
            t.id_number = field(text, 122, 36);
            t.authority = field(text, 158, 30);
            t.valid_from = field(text, 188, 16);
            t.valid_to = field(text, 204, 16);
            t.id_number_check = check_number(t.id_number);
            break;
        case u'J':
            t.document = IdDocument::HkMacauTaiwanPermit;
            t.name = field(text, 0, 30);
            t.gender = field(text, 30, 2);
            t.birth = field(text, 36, 16);
            t.address = field(text, 52, 70);
            t.id_number = field(text, 122, 36);
            t.authority = field(text, 158, 30);
            t.valid_from = field(text, 188, 16);
            t.valid_to = field(text, 204, 16);
            t.pass_number = field(text, 220, 18);
            t.issue_count = field(text, 238, 4);
            t.id_number_check = check_number(t.id_number);
            break;
        case u'I':
            t.document = IdDocument::ForeignPermanent;
            t.english_name = field(text, 0, 120);
            t.gender = field(text, 120, 2);
            t.id_number = field(text, 122, 30);
            t.nationality = field(text, 152, 6);
            t.name = field(text, 158, 30);
            t.valid_from = field(text, 188, 16);
            t.valid_to = field(text, 204, 16);
            t.birth = field(text, 220, 16);
            t.card_version = field(text, 236, 4);
            t.authority = field(text, 240, 8);
            t.id_number_check = IdCardText::NumberCheck::NotChecked;  // 15 characters, not GB 11643
            break;
        case u'Y':
            t.document = IdDocument::ForeignPermanent2023;
            t.name = field(text, 0, 30);
            t.gender = field(text, 30, 2);
            t.issue_count = field(text, 32, 4);
            t.birth = field(text, 36, 16);
            t.english_name = field2(text, 52, 70, 220, 22);
            t.id_number = field(text, 122, 36);
            t.valid_from = field(text, 188, 16);
            t.valid_to = field(text, 204, 16);
            t.nationality = field(text, 242, 6);
            t.id_number_check = check_number(t.id_number);  // 18 digits starting with 9, GB 11643 check
            break;
        default:
            return DriverError{"ga467.card_type", "this kind of card is not supported by the terminal"};
    }
    if (t.id_number.empty())
        return DriverError{"ga467.card_text", "the card's text could not be read (no ID number); place it again"};
    return t;
}

Expected<IdCardText> decode_read_reply(const Response& reply, ReadKind kind) {
    if (reply.sw3 != 0x90) {
        const StatusInfo s = status_info(reply.sw3);
        return DriverError{s.code, s.reason};
    }
    auto text = text_area(reply.data, kind);
    if (!text) return text.error();
    return decode_text(*text);
}

}  // namespace drivers::ga467
