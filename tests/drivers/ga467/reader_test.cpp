// The GA 467 reader driver against FakeGa467 on a real pseudo-terminal.
// Every wait is bounded; a failing test never hangs.
#include <doctest/doctest.h>
#include <pty.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "drivers/ga467/ga467_reader.hpp"
#include "fake_ga467.hpp"

using namespace std::chrono_literals;
using drivers::CardEvent;
using drivers::DeviceState;
using drivers::IdCardText;
using drivers::IdDocument;
using drivers::ga467::Ga467Reader;
using drivers::ga467::Options;
using ga467_test::Cmd;
using ga467_test::Damage;
using ga467_test::FakeGa467;

namespace {

// Collects what the reader delivers.
class Events {
public:
    drivers::CardSink sink() {
        return [this](CardEvent e) {
            {
                std::lock_guard lock(mu_);
                q_.push_back(std::move(e));
            }
            cv_.notify_all();
        };
    }
    std::optional<CardEvent> next(std::chrono::milliseconds timeout = 5s) {
        std::unique_lock lock(mu_);
        if (!cv_.wait_for(lock, timeout, [&] { return !q_.empty(); })) return std::nullopt;
        auto e = std::move(q_.front());
        q_.pop_front();
        return e;
    }
    std::size_t pending() {
        std::lock_guard lock(mu_);
        return q_.size();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<CardEvent> q_;
};

bool eventually(const std::function<bool()>& what, std::chrono::milliseconds timeout = 5s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (what()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return what();
}

Options quick(std::string path) {
    Options o;
    o.path = std::move(path);
    o.poll_interval = 20ms;
    o.command_timeout = 300ms;
    o.read_timeout = 500ms;
    o.reopen_interval = 100ms;
    return o;
}

IdCardText zhang() {
    IdCardText t;
    t.document = IdDocument::ResidentIdCard;
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

IdCardText hk_permit() {
    IdCardText t;
    t.document = IdDocument::HkMacauTaiwanPermit;
    t.name = "陈志明";
    t.gender = "1";
    t.birth = "19500512";
    t.address = "广东省深圳市福田区华强北路 12号";
    t.id_number = "810000195005120030";
    t.authority = "深圳市公安局";
    t.valid_from = "20190301";
    t.valid_to = "20240301";
    t.pass_number = "H01234567";
    t.issue_count = "02";
    return t;
}

IdCardText foreign_card() {
    IdCardText t;
    t.document = IdDocument::ForeignPermanent;
    t.english_name = "SMITH, JOHN WILLIAM";
    t.gender = "1";
    t.id_number = "USA110045061520";
    t.nationality = "USA";
    t.name = "史密斯";
    t.valid_from = "20170101";
    t.valid_to = "20270101";
    t.birth = "19450615";
    t.card_version = "01";
    t.authority = "1500";
    return t;
}

IdCardText foreign_card_2023() {
    IdCardText t;
    t.document = IdDocument::ForeignPermanent2023;
    t.name = "玛丽亚";
    t.gender = "2";
    t.issue_count = "00";
    t.birth = "19520101";
    // 44 characters: 35 go to offset 52, the other 9 to offset 220.
    t.english_name = "GONZALEZ RODRIGUEZ, MARIA DE LOS ANGELES";
    t.id_number = "932156195201010038";
    t.valid_from = "20230901";
    t.valid_to = "20330901";
    t.nationality = "ESP";
    return t;
}

// Everything the card carries, compared field by field.
void check_same(const IdCardText& got, const IdCardText& want) {
    CHECK(got.document == want.document);
    CHECK(got.name == want.name);
    CHECK(got.gender == want.gender);
    CHECK(got.ethnicity == want.ethnicity);
    CHECK(got.birth == want.birth);
    CHECK(got.address == want.address);
    CHECK(got.id_number == want.id_number);
    CHECK(got.authority == want.authority);
    CHECK(got.valid_from == want.valid_from);
    CHECK(got.valid_to == want.valid_to);
    CHECK(got.english_name == want.english_name);
    CHECK(got.nationality == want.nationality);
    CHECK(got.pass_number == want.pass_number);
    CHECK(got.issue_count == want.issue_count);
    CHECK(got.card_version == want.card_version);
}

// No personal data in what staff and logs see.
void check_no_card_data(const std::string& s) {
    for (const char* bit : {"张", "桂兰", "130730", "19460308", "佳禾", "0024"}) {
        CAPTURE(bit);
        CHECK(s.find(bit) == std::string::npos);
    }
}

void check_health_clean(const Ga467Reader& r) {
    const auto h = r.health();
    check_no_card_data(h.status);
    check_no_card_data(h.last_error);
    check_no_card_data(h.device);
}

// Starts a reader on the fake and waits until it is ready.
struct Rig {
    explicit Rig(FakeGa467::Options fo = {}, std::function<void(Options&)> tweak = {}) : fake(fo) {
        Options o = quick(fake.tty());
        if (tweak) tweak(o);
        reader = std::make_unique<Ga467Reader>(o);
        reader->start(events.sink());
        REQUIRE(eventually([&] { return reader->health().state == DeviceState::Ready; }));
    }
    // The card leaves and the reader has seen it gone.
    void lift() {
        fake.remove();
        const int finds = fake.requests(Cmd::Find);
        REQUIRE(fake.wait_requests(Cmd::Find, finds + 2, 5s));
    }
    FakeGa467 fake;
    Events events;
    std::unique_ptr<Ga467Reader> reader;
};

IdCardText expect_card(Events& events) {
    auto e = events.next();
    REQUIRE(e);
    if (e->kind == CardEvent::Kind::Error) FAIL("unexpected error event: " << e->error);
    REQUIRE(e->kind == CardEvent::Kind::IdCard);
    CHECK(e->reader.rfind("ga467:", 0) == 0);
    return e->id;
}

std::string expect_error(Events& events) {
    auto e = events.next();
    REQUIRE(e);
    REQUIRE(e->kind == CardEvent::Kind::Error);
    CHECK_FALSE(e->error.empty());
    check_no_card_data(e->error);
    return e->error;
}

}  // namespace

// ---------------------------------------------------------------------------
// Card types

TEST_CASE("ga467 reader: a resident ID card gives one IdCard event with every field") {
    Rig rig;
    rig.fake.place(zhang());
    const auto id = expect_card(rig.events);
    check_same(id, zhang());
    CHECK(id.id_number_check == IdCardText::NumberCheck::Valid);
    CHECK(rig.reader->stats().cards == 1);
    CHECK(rig.reader->health().last_event.time_since_epoch().count() > 0);
    check_health_clean(*rig.reader);
}

TEST_CASE("ga467 reader: a Hong Kong/Macau/Taiwan residence permit ('J')") {
    Rig rig;
    rig.fake.place(hk_permit());
    const auto id = expect_card(rig.events);
    check_same(id, hk_permit());
    CHECK(id.ethnicity.empty());
    CHECK(id.id_number_check == IdCardText::NumberCheck::Valid);
}

TEST_CASE("ga467 reader: a foreign permanent resident card ('I')") {
    Rig rig;
    rig.fake.place(foreign_card());
    const auto id = expect_card(rig.events);
    check_same(id, foreign_card());
    CHECK(id.id_number_check == IdCardText::NumberCheck::NotChecked);
}

TEST_CASE("ga467 reader: a 2023 foreign permanent resident card ('Y'), English name in two pieces") {
    Rig rig;
    rig.fake.place(foreign_card_2023());
    const auto id = expect_card(rig.events);
    check_same(id, foreign_card_2023());
    CHECK(id.id_number_check == IdCardText::NumberCheck::Valid);
}

TEST_CASE("ga467 reader: the text + photo + fingerprint read (30 10) works too") {
    Rig rig({}, [](Options& o) { o.read = drivers::ga467::ReadKind::TextPhotoFingerprint; });
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());
    CHECK(rig.fake.requests(Cmd::ReadFingerprint) == 1);
    CHECK(rig.fake.requests(Cmd::Read) == 0);
}

TEST_CASE("ga467 reader: a bad check digit on a resident ID card is reported as such") {
    Rig rig;
    auto card = zhang();
    card.id_number = "130730194603080025";
    rig.fake.place(card);
    const auto id = expect_card(rig.events);
    CHECK(id.id_number == "130730194603080025");
    CHECK(id.id_number_check == IdCardText::NumberCheck::Invalid);
}

TEST_CASE("ga467 reader: a card type the terminal does not know is said at once, once") {
    Rig rig;
    auto area = ga467_test::text_area(zhang());
    area[248] = 'Q';
    rig.fake.place(area);
    CHECK(expect_error(rig.events) == "this kind of card is not supported by the terminal");
    const int finds = rig.fake.requests(Cmd::Find);
    REQUIRE(rig.fake.wait_requests(Cmd::Find, finds + 5, 5s));
    CHECK(rig.events.pending() == 0);
    CHECK(rig.fake.requests(Cmd::Read) == 1);
}

// ---------------------------------------------------------------------------
// Damaged replies

TEST_CASE("ga467 reader: a reply with a wrong checksum gives a clear error, then the card reads") {
    Rig rig;
    rig.fake.damage_next(Cmd::Read, Damage::Checksum);
    rig.fake.place(zhang());
    // The reader read the card (it goes quiet) but the reply was damaged on the line.
    const auto why = expect_error(rig.events);
    CHECK(why.find("damaged") != std::string::npos);
    CHECK(rig.reader->stats().checksum_errors == 1);
    CHECK(rig.reader->health().last_error.find("checksum") != std::string::npos);
    check_health_clean(*rig.reader);

    rig.lift();
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());
    CHECK(rig.events.pending() == 0);
    CHECK(rig.reader->health().state == DeviceState::Ready);
}

TEST_CASE("ga467 reader: a damaged find or select reply is retried silently") {
    Rig rig({.quiet_after_read = false});
    rig.fake.damage_next(Cmd::Find, Damage::Checksum);
    rig.fake.damage_next(Cmd::Select, Damage::Checksum);
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());
    CHECK(rig.reader->stats().checksum_errors == 2);
    std::this_thread::sleep_for(200ms);
    CHECK(rig.events.pending() == 0);
}

TEST_CASE("ga467 reader: wrong lengths (too long, impossible, too short) end in an error, then the card reads") {
    Rig rig;
    for (const Damage d : {Damage::LengthHuge, Damage::LengthLong, Damage::LengthShort}) {
        CAPTURE(static_cast<int>(d));
        rig.fake.damage_next(Cmd::Read, d);
        rig.fake.place(zhang());
        expect_error(rig.events);
        rig.lift();
        rig.fake.place(zhang());
        check_same(expect_card(rig.events), zhang());
        rig.lift();
    }
    const auto s = rig.reader->stats();
    CHECK(s.length_errors >= 1);    // 0xFFFF: refused at once
    CHECK(s.timeouts >= 1);         // LEN 16 too long: waited for bytes that never came
    CHECK(s.checksum_errors >= 1);  // LEN 16 too short: the checksum lands on a data byte
    CHECK(s.max_buffered <= drivers::ga467::FrameParser::kCapacity);
    CHECK(rig.reader->health().state == DeviceState::Ready);
}

TEST_CASE("ga467 reader: a truncated frame times out and the reader recovers") {
    Rig rig;
    // A truncated answer to find card: the reader times out, then polls on.
    rig.fake.damage_next(Cmd::Find, Damage::Truncate);
    const int finds = rig.fake.requests(Cmd::Find);
    REQUIRE(rig.fake.wait_requests(Cmd::Find, finds + 3, 5s));
    CHECK(rig.reader->stats().timeouts >= 1);
    CHECK(rig.reader->health().state == DeviceState::Ready);

    // A truncated read reply: a clear error, then the next placement reads.
    rig.fake.damage_next(Cmd::Read, Damage::Truncate);
    rig.fake.place(zhang());
    expect_error(rig.events);
    rig.lift();
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());
    CHECK(rig.reader->stats().timeouts >= 2);
}

TEST_CASE("ga467 reader: garbage between frames is skipped") {
    Rig rig;
    const std::vector<std::uint8_t> junk{0x00, 0xFF, 0xAA, 0xAA, 0x96, 0x13, 0xAA, 0xAA, 0xAA, 0x96, 0x55, 0xAA};
    rig.fake.send_raw(junk);  // unasked, between polls
    rig.fake.garbage_before_next_reply(junk);
    const int finds = rig.fake.requests(Cmd::Find);
    REQUIRE(rig.fake.wait_requests(Cmd::Find, finds + 2, 5s));
    rig.fake.garbage_before_next_reply(junk);  // before a find reply
    rig.fake.place(zhang());
    REQUIRE(rig.fake.wait_requests(Cmd::Select, 1, 5s));
    rig.fake.garbage_before_next_reply(junk);  // before the read reply, most likely
    check_same(expect_card(rig.events), zhang());
    CHECK(rig.reader->stats().garbage_bytes >= junk.size());
    CHECK(rig.reader->stats().checksum_errors == 0);
    std::this_thread::sleep_for(200ms);
    CHECK(rig.events.pending() == 0);
}

TEST_CASE("ga467 reader: a flood of random bytes: still responsive, memory bounded, stop() prompt") {
    Rig rig;
    rig.fake.flood(4u << 20);
    std::this_thread::sleep_for(300ms);
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());  // read while the flood goes on
    const auto s = rig.reader->stats();
    CHECK(s.garbage_bytes > 1000);
    CHECK(s.max_buffered <= drivers::ga467::FrameParser::kCapacity);
    CHECK(rig.reader->health().state == DeviceState::Ready);

    const auto t0 = std::chrono::steady_clock::now();
    rig.reader->stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
}

// ---------------------------------------------------------------------------
// Status codes

TEST_CASE("ga467 reader: every error status in reply to a read gets its own plain reason") {
    Rig rig({}, [](Options& o) { o.read_attempts = 1; });
    for (const std::uint8_t sw3 : drivers::ga467::known_statuses()) {
        if (sw3 == 0x90 || sw3 == 0x9F) continue;
        CAPTURE(static_cast<int>(sw3));
        rig.fake.answer(Cmd::Read, sw3);
        rig.fake.place(zhang());
        const auto why = expect_error(rig.events);
        if (sw3 == 0x80) CHECK(why == "the card was moved during reading; place it again");
        else CHECK(why == drivers::ga467::status_info(sw3).reason);
        rig.lift();
        // Reader-side faults clear once the SAM status passes again.
        REQUIRE(eventually([&] { return rig.reader->health().state == DeviceState::Ready; }));
    }
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());
}

TEST_CASE("ga467 reader: an error status to select is retried, then reported") {
    Rig rig;  // read_attempts = 3
    rig.fake.answer(Cmd::Select, 0x81, 2);
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());  // third try succeeds: no error shown
    rig.lift();

    rig.fake.answer(Cmd::Select, 0x32, 3);
    rig.fake.place(zhang());
    CHECK(expect_error(rig.events) == drivers::ga467::status_info(0x32).reason);
    std::this_thread::sleep_for(200ms);
    CHECK(rig.events.pending() == 0);  // one answer per placement
}

TEST_CASE("ga467 reader: SAM and reader faults show in health with a plain status, then clear") {
    Rig rig;
    for (const std::uint8_t sw3 : {std::uint8_t{0x60}, std::uint8_t{0x66}, std::uint8_t{0x23}, std::uint8_t{0x24}}) {
        CAPTURE(static_cast<int>(sw3));
        rig.fake.fail_all(sw3);
        REQUIRE(eventually([&] { return rig.reader->health().state == DeviceState::Fault; }));
        CHECK(rig.reader->health().status == drivers::ga467::status_info(sw3).reason);
        rig.fake.fail_all(std::nullopt);
        REQUIRE(eventually([&] { return rig.reader->health().state == DeviceState::Ready; }));
        CHECK(rig.reader->health().status == "ready");
    }
    rig.fake.fail_all(0x60);
    REQUIRE(eventually([&] { return rig.reader->health().status == "SAM module failed its self-test"; }));
    CHECK(rig.events.pending() == 0);  // no card known to be there: health only

    // Commands the reader keeps rejecting (a damaged line) turn into a fault too.
    rig.fake.fail_all(0x10);
    REQUIRE(eventually([&] { return rig.reader->health().status == "the reader rejects our commands (damaged line?)"; }));
    rig.fake.fail_all(std::nullopt);
    REQUIRE(eventually([&] { return rig.reader->health().state == DeviceState::Ready; }));
}

// ---------------------------------------------------------------------------
// Placements

TEST_CASE("ga467 reader: the card pulled mid-read gives 'moved', then the next placement reads") {
    Rig rig;
    rig.fake.damage_next(Cmd::Read, Damage::PullCard);
    rig.fake.place(zhang());
    CHECK(expect_error(rig.events) == "the card was moved during reading; place it again");
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());
    CHECK(rig.reader->health().state == DeviceState::Ready);

    // A read that fails with 41 while the card is pulled away: the same answer.
    rig.lift();
    rig.fake.answer(Cmd::Read, 0x41);
    rig.fake.answer(Cmd::Find, 0x9F);  // the card is still there when found ...
    rig.fake.answer(Cmd::Select, 0x90);
    REQUIRE(rig.fake.wait_requests(Cmd::Read, rig.fake.requests(Cmd::Read) + 1, 5s));  // ... and gone after the read
    CHECK(expect_error(rig.events) == "the card was moved during reading; place it again");
}

TEST_CASE("ga467 reader: one placement gives one event, lifting and placing again another") {
    for (const bool quiet : {true, false}) {
        CAPTURE(quiet);
        Rig rig({.quiet_after_read = quiet});
        rig.fake.place(zhang());
        check_same(expect_card(rig.events), zhang());
        // The card stays on the reader for many polls.
        const int finds = rig.fake.requests(Cmd::Find);
        REQUIRE(rig.fake.wait_requests(Cmd::Find, finds + 10, 5s));
        CHECK(rig.events.pending() == 0);
        CHECK(rig.fake.requests(Cmd::Read) == 1);

        rig.lift();
        rig.fake.place(hk_permit());
        check_same(expect_card(rig.events), hk_permit());
        REQUIRE(rig.fake.wait_requests(Cmd::Find, rig.fake.requests(Cmd::Find) + 5, 5s));
        CHECK(rig.events.pending() == 0);
        CHECK(rig.reader->stats().cards == 2);
    }
}

// ---------------------------------------------------------------------------
// Unplug and replug

TEST_CASE("ga467 reader: unplugged and back under another tty through a by-id symlink") {
    FakeGa467 fake;
    const auto dir = std::filesystem::temp_directory_path() / ("ga467-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "by-id");
    const auto link = dir / "by-id" / "usb-Reader_GA467_0001-if00-port0";

    // The reader is not there yet.
    Events events;
    Ga467Reader reader(quick(link.string()));
    reader.start(events.sink());
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Absent; }));
    CHECK(reader.health().status == "reader not connected: " + link.string());

    // Plugged in: udev makes the link.
    const std::string first = fake.tty();
    std::filesystem::create_symlink(first, link);
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Ready; }));
    CHECK(reader.health().device.find(first) != std::string::npos);
    fake.place(zhang());
    check_same(expect_card(events), zhang());

    // Unplugged: the tty goes, and udev removes the link.
    fake.unplug();
    std::filesystem::remove(link);
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Absent; }));
    CHECK(reader.health().status == "reader not connected: " + link.string());
    CHECK(reader.stats().unplugs == 1);

    // Something else takes the old tty number (ptys get the lowest free one);
    // the reader comes back as another.
    std::vector<std::pair<int, int>> others;
    for (int i = 0; i < 64; ++i) {
        int m = -1, sl = -1;
        char name[128] = {};
        REQUIRE(openpty(&m, &sl, name, nullptr, nullptr) == 0);
        others.emplace_back(m, sl);
        if (first == name) break;
    }
    const std::string second = fake.replug();
    CHECK(second != first);
    std::filesystem::create_symlink(second, link);
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Ready; }));
    CHECK(reader.health().device.find(second) != std::string::npos);
    CHECK(reader.stats().opens == 2);

    fake.remove();
    fake.place(zhang());
    check_same(expect_card(events), zhang());

    reader.stop();
    for (const auto& [m, sl] : others) {
        ::close(m);
        ::close(sl);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("ga467 reader: unplugged with a card on it: absent, retried quietly, no events") {
    // Through a symlink that goes away with the device, as udev's by-id links
    // do: a plain /dev/pts/N path could be handed to another pty meanwhile.
    FakeGa467 fake;
    const auto dir = std::filesystem::temp_directory_path() / ("ga467-gone-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto link = dir / "reader";
    std::filesystem::create_symlink(fake.tty(), link);
    Events events;
    Ga467Reader reader(quick(link.string()));
    reader.start(events.sink());
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Ready; }));
    fake.place(zhang());
    check_same(expect_card(events), zhang());

    fake.unplug();
    std::filesystem::remove(link);
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Absent; }));
    CHECK(reader.health().last_error == "the reader was unplugged or switched off");
    std::this_thread::sleep_for(350ms);  // a few reopen attempts
    CHECK(events.pending() == 0);
    CHECK(reader.health().status == "reader not connected: " + link.string());
    CHECK(reader.stats().opens == 1);
    const auto t0 = std::chrono::steady_clock::now();
    reader.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 300ms);
    std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------
// Lifecycle

TEST_CASE("ga467 reader: stop() returns promptly even in the middle of a long read") {
    Rig rig({}, [](Options& o) { o.read_timeout = 10s; });
    rig.fake.damage_next(Cmd::Read, Damage::Silence);
    rig.fake.place(zhang());
    REQUIRE(rig.fake.wait_requests(Cmd::Read, 1, 5s));
    const auto t0 = std::chrono::steady_clock::now();
    rig.reader->stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 300ms);
    CHECK(rig.reader->health().status == "reader stopped");
    rig.reader->stop();  // idempotent

    // And it starts again.
    rig.reader->start(rig.events.sink());
    rig.fake.remove();
    rig.fake.place(zhang());
    check_same(expect_card(rig.events), zhang());
}

TEST_CASE("ga467 reader: a tty where nothing answers is a fault, not a hang") {
    int master = -1, slave = -1;
    char name[128] = {};
    REQUIRE(openpty(&master, &slave, name, nullptr, nullptr) == 0);
    Events events;
    Ga467Reader reader(quick(name));
    reader.start(events.sink());
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Fault; }));
    CHECK(reader.health().status == "the reader does not answer (check the cable and the speed, 115200)");
    const auto t0 = std::chrono::steady_clock::now();
    reader.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 300ms);
    CHECK(events.pending() == 0);
    ::close(master);
    ::close(slave);
}

TEST_CASE("ga467 reader: options are checked") {
    Options o;
    CHECK(drivers::ga467::validate(o).error().code == "ga467.config");  // no path
    o.path = "/dev/ttyUSB0";
    CHECK(drivers::ga467::validate(o).ok());
    CHECK(o.baud == 115200);
    o.baud = 12345;
    CHECK_FALSE(drivers::ga467::validate(o).ok());
    o.baud = 9600;
    o.poll_interval = 0ms;
    CHECK_FALSE(drivers::ga467::validate(o).ok());
    o.poll_interval = 250ms;
    o.read_attempts = 0;
    CHECK_FALSE(drivers::ga467::validate(o).ok());
    Ga467Reader r(o);
    CHECK(r.name() == "ga467:/dev/ttyUSB0");
    CHECK(r.health().state == DeviceState::Absent);
    CHECK(r.health().device == "ga467 /dev/ttyUSB0");
}
