// Fuzzes the GA 467 frame parser with arbitrary bytes in arbitrary chunks, and
// every well-formed frame it yields through the read-reply and text decoding.
//
// Input: byte 0 picks the chunk size (1..256) the bytes are fed in; the rest
// is the line. Invariants checked (abort on violation):
//   - the parser never holds more than FrameParser::kCapacity bytes;
//   - every frame it hands out has a LEN within the protocol and data that fits;
//   - feeding always makes progress (no livelock);
//   - decoding never throws and yields valid UTF-8 without control characters.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "drivers/ga467/card_text.hpp"
#include "drivers/ga467/protocol.hpp"

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

bool valid_utf8_no_controls(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        if (n == 1 && (c < 0x20 || c == 0x7F)) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

void check_text(const drivers::IdCardText& t) {
    for (const std::string* f : {&t.name, &t.gender, &t.ethnicity, &t.birth, &t.address, &t.id_number, &t.authority,
                                 &t.valid_from, &t.valid_to, &t.english_name, &t.nationality, &t.pass_number,
                                 &t.issue_count, &t.card_version})
        require(valid_utf8_no_controls(*f));
    require(!t.id_number.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace drivers::ga467;
    if (size == 0) return 0;
    const std::size_t chunk = std::size_t{data[0]} + 1;
    const std::span<const std::uint8_t> line(data + 1, size - 1);

    FrameParser parser;
    std::size_t at = 0;
    for (int idle = 0;;) {
        if (at < line.size()) {
            const std::size_t took = parser.feed(line.subspan(at, std::min(chunk, line.size() - at)));
            at += took;
            idle = took == 0 ? idle + 1 : 0;
        }
        require(parser.buffered() <= FrameParser::kCapacity);
        bool any = false;
        while (auto r = parser.next()) {
            any = true;
            idle = 0;
            require(parser.buffered() <= FrameParser::kCapacity);
            if (!r->ok()) {
                require(r->error().code == "ga467.checksum" || r->error().code == "ga467.length");
                continue;
            }
            const Response& resp = **r;
            require(resp.data.size() + kMinResponseLength <= kMaxLength);
            for (const ReadKind kind : {ReadKind::TextPhoto, ReadKind::TextPhotoFingerprint}) {
                auto text = decode_read_reply(resp, kind);
                if (text) check_text(*text);
            }
            if (resp.data.size() >= kTextSize) {
                auto text = decode_text(resp.data.first<kTextSize>());
                if (text) check_text(*text);
            }
        }
        if (at >= line.size() && !any) break;
        require(idle < 2);  // a full buffer must yield a result or drop garbage
    }
    return 0;
}
