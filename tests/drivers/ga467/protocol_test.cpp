// The GA 467 protocol without I/O: frames, the parser, status codes, the text
// area and the GB 11643 check.
#include <doctest/doctest.h>

#include <random>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "drivers/ga467/card_text.hpp"
#include "drivers/ga467/protocol.hpp"
#include "fake_ga467.hpp"

using namespace drivers::ga467;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes hex(const char* s) {
    Bytes out;
    unsigned v = 0;
    int n = 0;
    for (; *s != '\0'; ++s) {
        const char c = *s;
        if (c == ' ') continue;
        v = v << 4 | static_cast<unsigned>(c <= '9' ? c - '0' : c - 'A' + 10);
        if (++n == 2) {
            out.push_back(static_cast<std::uint8_t>(v));
            v = 0;
            n = 0;
        }
    }
    return out;
}

struct Parsed {
    std::vector<std::tuple<std::uint8_t, Bytes>> frames;  // sw3, data
    std::vector<std::string> errors;
};

// Feeds `bytes` in chunks of `chunk` and collects every result.
Parsed parse(FrameParser& p, const Bytes& bytes, std::size_t chunk) {
    Parsed out;
    std::size_t at = 0;
    for (;;) {
        if (at < bytes.size()) {
            const std::size_t n = std::min(chunk, bytes.size() - at);
            at += p.feed(std::span(bytes).subspan(at, n));
            CHECK(p.buffered() <= FrameParser::kCapacity);
        }
        bool any = false;
        while (auto r = p.next()) {
            any = true;
            if (r->ok()) out.frames.emplace_back((*r)->sw3, Bytes((*r)->data.begin(), (*r)->data.end()));
            else out.errors.push_back(r->error().code);
        }
        if (at >= bytes.size() && !any) return out;
    }
}

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

drivers::IdCardText zhang() {
    drivers::IdCardText t;
    t.document = drivers::IdDocument::ResidentIdCard;
    t.name = "张桂兰";
    t.gender = "2";
    t.ethnicity = "01";
    t.birth = "19460308";
    t.address = "佳禾小区一区 3号楼 2单元 401";
    t.id_number = "130730194603080024";
    t.authority = "怀来县公安局";
    t.valid_from = "20150612";
    t.valid_to = "长期";
    return t;
}

}  // namespace

TEST_CASE("ga467 frames: every request is byte for byte the one in hardware.md") {
    CHECK(build_request(Command::SamStatus) == hex("AAAAAA9669 0003 11FF ED"));
    CHECK(build_request(Command::SamId) == hex("AAAAAA9669 0003 12FF EE"));
    CHECK(build_request(Command::FindCard) == hex("AAAAAA9669 0003 2001 22"));
    CHECK(build_request(Command::SelectCard) == hex("AAAAAA9669 0003 2002 21"));
    CHECK(build_request(Command::ReadText) == hex("AAAAAA9669 0003 3001 32"));
    CHECK(build_request(Command::ReadTextFingerprint) == hex("AAAAAA9669 0003 3010 23"));
    CHECK(build_response(0, 0, 0x90) == hex("AAAAAA9669 0004 000090 94"));
    CHECK(build_response(0, 0, 0x9F, hex("00000000")) == hex("AAAAAA9669 0008 00009F 00000000 97"));
}

TEST_CASE("ga467 parser: the known replies, byte by byte and all at once") {
    const Bytes ok = hex("AAAAAA9669 0004 000090 94");
    const Bytes found = hex("AAAAAA9669 0008 00009F 00000000 97");
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{4096}}) {
        FrameParser p;
        const auto r = parse(p, cat({ok, found, ok}), chunk);
        REQUIRE(r.frames.size() == 3);
        CHECK(r.errors.empty());
        CHECK(std::get<0>(r.frames[0]) == 0x90);
        CHECK(std::get<1>(r.frames[0]).empty());
        CHECK(std::get<0>(r.frames[1]) == 0x9F);
        CHECK(std::get<1>(r.frames[1]) == Bytes(4, 0));
        CHECK(p.garbage_bytes() == 0);
        CHECK(p.buffered() == 0);
    }
}

TEST_CASE("ga467 parser: a full read reply from the fake reader parses and decodes") {
    const auto reply = ga467_test::read_reply(ga467_test::text_area(zhang()));
    CHECK(reply.size() == 7 + 0x508);
    CHECK(reply[5] == 0x05);
    CHECK(reply[6] == 0x08);
    FrameParser p;
    p.feed(reply);
    auto r = p.next();
    REQUIRE(r);
    REQUIRE(r->ok());
    auto text = decode_read_reply(**r);
    REQUIRE(text.ok());
    CHECK(text->name == "张桂兰");
    CHECK(text->id_number == "130730194603080024");
}

TEST_CASE("ga467 parser: garbage before, between and after frames is skipped") {
    const Bytes ok = hex("AAAAAA9669 0004 000090 94");
    // Garbage that looks like the start of a preamble, more than once.
    const Bytes junk = hex("00 FF AA AA 96 AA AA AA 96 13 AA AA AA AA");
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{1000}}) {
        FrameParser p;
        const auto r = parse(p, cat({junk, ok, junk, ok, hex("AA AA")}), chunk);
        CHECK(r.frames.size() == 2);
        CHECK(r.errors.empty());
        CHECK(p.garbage_bytes() == 2 * junk.size());
        CHECK(p.buffered() == 2);  // "AA AA" could still start a frame
    }
}

TEST_CASE("ga467 parser: a wrong checksum is reported and the next frame still parses") {
    Bytes bad = hex("AAAAAA9669 0008 00009F 00000000 97");
    bad.back() = 0x98;
    FrameParser p;
    const auto r = parse(p, cat({bad, hex("AAAAAA9669 0004 000090 94")}), 7);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0] == "ga467.checksum");
    REQUIRE(r.frames.size() == 1);
    CHECK(std::get<0>(r.frames[0]) == 0x90);
}

TEST_CASE("ga467 parser: impossible lengths are refused without waiting or allocating") {
    const Bytes ok = hex("AAAAAA9669 0004 000090 94");
    for (const char* header : {"AAAAAA9669 FFFF", "AAAAAA9669 090B", "AAAAAA9669 0003", "AAAAAA9669 0000"}) {
        CAPTURE(header);
        FrameParser p;
        const auto r = parse(p, cat({hex(header), ok}), 64);
        REQUIRE(r.errors.size() == 1);
        CHECK(r.errors[0] == "ga467.length");
        REQUIRE(r.frames.size() == 1);  // resynchronised on the good frame
    }
    // The largest length the protocol has is accepted.
    FrameParser p;
    const auto biggest = build_response(0, 0, 0x90, Bytes(kMaxLength - 4, 0x11));
    CHECK(biggest.size() == kMaxFrame);
    const auto r = parse(p, biggest, 100);
    CHECK(r.frames.size() == 1);
}

TEST_CASE("ga467 parser: a truncated frame followed by a good one yields the good one") {
    const auto reply = ga467_test::read_reply(ga467_test::text_area(zhang()));
    const Bytes half(reply.begin(), reply.begin() + 600);
    FrameParser p;
    const auto r = parse(p, cat({half, reply}), 256);
    REQUIRE(r.frames.size() == 1);
    CHECK(std::get<0>(r.frames[0]) == 0x90);
    CHECK(std::get<1>(r.frames[0]).size() == 0x508 - 4);
    CHECK(r.errors.size() == 1);  // the truncated one: its LEN swallowed the good frame's start
}

TEST_CASE("ga467 parser: a flood of random and preamble-laden bytes stays bounded") {
    std::mt19937 rng(7);
    Bytes flood;
    for (int i = 0; i < 200'000; ++i) {
        if (i % 997 == 0) {  // preambles with random lengths
            const auto pre = hex("AAAAAA9669");
            flood.insert(flood.end(), pre.begin(), pre.end());
        }
        flood.push_back(static_cast<std::uint8_t>(rng()));
    }
    const Bytes ok = hex("AAAAAA9669 0004 000090 94");
    FrameParser p;
    const auto r = parse(p, cat({flood, ok, ok}), 4096);  // CHECKs buffered() <= kCapacity throughout
    CHECK(r.frames.size() >= 2);
    CHECK(p.garbage_bytes() > 100'000);
    CHECK(p.buffered() <= FrameParser::kCapacity);
}

TEST_CASE("ga467 parser: reset drops and wipes what was buffered") {
    FrameParser p;
    const auto reply = ga467_test::read_reply(ga467_test::text_area(zhang()));
    p.feed(std::span(reply).first(100));
    CHECK(p.buffered() == 100);
    p.reset();
    CHECK(p.buffered() == 0);
    CHECK_FALSE(p.next().has_value());
}

TEST_CASE("ga467 status: every SW3 code in hardware.md has its own code and plain reason") {
    const std::vector<std::pair<std::uint8_t, const char*>> expected{
        {0x90, "ga467.ok"},           {0x9F, "ga467.card_found"},     {0x80, "ga467.no_card"},
        {0x81, "ga467.select_failed"}, {0x91, "ga467.item_missing"},  {0x10, "ga467.bad_checksum"},
        {0x11, "ga467.bad_length"},   {0x21, "ga467.bad_command"},    {0x23, "ga467.not_authorised"},
        {0x24, "ga467.unknown_error"}, {0x31, "ga467.card_auth_sam"}, {0x32, "ga467.sam_auth_card"},
        {0x33, "ga467.verify_failed"}, {0x40, "ga467.unknown_card_type"}, {0x41, "ga467.read_failed"},
        {0x47, "ga467.random_failed"}, {0x60, "ga467.sam_self_test"}, {0x66, "ga467.sam_not_authorised"},
    };
    REQUIRE(known_statuses().size() == expected.size());
    std::set<std::string> reasons;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto s = status_info(expected[i].first);
        const std::string name = expected[i].second;
        CAPTURE(name);
        CHECK(known_statuses()[i] == expected[i].first);
        CHECK(std::string(s.code) == expected[i].second);
        CHECK(std::string(s.reason).size() > 3);
        reasons.insert(s.reason);
    }
    CHECK(reasons.size() == expected.size());  // no two codes share a reason
    CHECK(std::string(status_info(0x60).reason) == "SAM module failed its self-test");
    CHECK(status_info(0x60).scope == StatusScope::Reader);
    CHECK(status_info(0x41).scope == StatusScope::Card);
    CHECK(status_info(0x10).scope == StatusScope::Protocol);
    CHECK(status_info(0x80).scope == StatusScope::NoCard);
    CHECK(std::string(status_info(0x55).code) == "ga467.status");
    CHECK(status_info(0x55).scope == StatusScope::Unknown);
}

TEST_CASE("ga467 text: a resident ID card area written byte by byte decodes") {
    // Built by hand (not with the test encoder): name 王五 at 0, gender '1' at 30,
    // ethnicity "01" at 32, ID number at 122, flag ' ' at 248, everything else spaces.
    std::array<std::uint8_t, 256> a{};
    for (std::size_t i = 0; i < a.size(); i += 2) a[i] = 0x20;
    a[0] = 0x8B; a[1] = 0x73;  // 王 U+738B
    a[2] = 0x94; a[3] = 0x4E;  // 五 U+4E94
    a[30] = '1';
    a[32] = '0'; a[34] = '1';
    const char* id = "11010519491231002X";
    for (std::size_t i = 0; i < 18; ++i) a[122 + 2 * i] = static_cast<std::uint8_t>(id[i]);
    auto t = decode_text(a);
    REQUIRE(t.ok());
    CHECK(t->document == drivers::IdDocument::ResidentIdCard);
    CHECK(t->name == "王五");
    CHECK(t->gender == "1");
    CHECK(t->ethnicity == "01");
    CHECK(t->id_number == "11010519491231002X");
    CHECK(t->id_number_check == drivers::IdCardText::NumberCheck::Valid);
    CHECK(t->address.empty());
    CHECK(t->english_name.empty());
}

TEST_CASE("ga467 text: GB 11643 check digits") {
    CHECK(gb11643_valid("11010519491231002X"));
    CHECK(gb11643_valid("11010519491231002x"));
    CHECK(gb11643_valid("130730194603080024"));
    CHECK(gb11643_valid("810000195005120030"));
    CHECK(gb11643_valid("932156195201010038"));
    CHECK_FALSE(gb11643_valid("130730194603080025"));
    CHECK_FALSE(gb11643_valid("11010519491231002"));
    CHECK_FALSE(gb11643_valid("1101051949123100 X"));
    CHECK_FALSE(gb11643_valid(""));
    CHECK(gb11643_check_char("11010519491231002") == 'X');
    CHECK(gb11643_check_char("1101051949123100A") == '\0');
}

TEST_CASE("ga467 text: UCS-2LE to UTF-8, trimmed, surrogates joined, NUL ends a field") {
    auto le = [](std::initializer_list<std::uint16_t> units) {
        Bytes b;
        for (const auto u : units) {
            b.push_back(static_cast<std::uint8_t>(u & 0xFF));
            b.push_back(static_cast<std::uint8_t>(u >> 8));
        }
        return b;
    };
    CHECK(ucs2le_to_utf8(le({0x20, 0x3000, 0x5F20, 0x20, 0x4E09, 0x20, 0x20})) == "张 三");
    CHECK(ucs2le_to_utf8(le({0xD840, 0xDC0B})) == "\xF0\xA0\x80\x8B");  // U+2000B, outside the BMP
    CHECK(ucs2le_to_utf8(le({0xD840, 0x41})) == "\xEF\xBF\xBD" "A");    // a lone surrogate
    CHECK(ucs2le_to_utf8(le({0x41, 0x00, 0x42})) == "A");
    CHECK(ucs2le_to_utf8(le({0x41, 0x07})) == "A\xEF\xBF\xBD");         // no control characters
    CHECK(ucs2le_to_utf8(le({0x20, 0x20})).empty());
    CHECK(ucs2le_to_utf8(Bytes{0x41}).empty());  // an odd byte is ignored
}

TEST_CASE("ga467 text: read reply layouts that do not add up are refused") {
    const auto area = ga467_test::text_area(zhang());
    Bytes data{0x01, 0x00, 0x04, 0x00};
    data.insert(data.end(), area.begin(), area.end());
    data.insert(data.end(), 1024, 0x00);
    CHECK(text_area(data).ok());

    Bytes short_photo = data;
    short_photo.pop_back();
    CHECK(text_area(short_photo).error().code == "ga467.read_reply");

    Bytes wrong_text_len = data;
    wrong_text_len[1] = 0x02;
    CHECK(text_area(wrong_text_len).error().code == "ga467.read_reply");

    Bytes huge_photo = data;
    huge_photo[2] = 0x40;
    CHECK(text_area(huge_photo).error().code == "ga467.read_reply");

    CHECK(text_area(Bytes{0x01}).error().code == "ga467.read_reply");

    // With a fingerprint: FP_LEN after PHOTO_LEN, text 2 bytes later.
    Bytes fp{0x01, 0x00, 0x04, 0x00, 0x02, 0x00};
    fp.insert(fp.end(), area.begin(), area.end());
    fp.insert(fp.end(), 1024 + 512, 0x00);
    auto t = text_area(fp, ReadKind::TextPhotoFingerprint);
    REQUIRE(t.ok());
    CHECK(decode_text(*t)->name == "张桂兰");
    CHECK_FALSE(text_area(fp, ReadKind::TextPhoto).ok());

    // A status other than 90 is reported with its reason.
    Response r;
    r.sw3 = 0x41;
    auto e = decode_read_reply(r);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "ga467.read_failed");
}

TEST_CASE("ga467 text: an unknown card-type flag and a blank card are errors without card data") {
    auto area = ga467_test::text_area(zhang());
    area[248] = 'Q';
    auto t = decode_text(area);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == "ga467.card_type");
    CHECK(t.error().message.find("张") == std::string::npos);

    std::array<std::uint8_t, 256> blank{};
    for (std::size_t i = 0; i < blank.size(); i += 2) blank[i] = 0x20;
    auto b = decode_text(blank);
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().code == "ga467.card_text");
}
