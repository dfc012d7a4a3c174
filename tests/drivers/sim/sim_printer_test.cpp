// The simulated printer: what it keeps on disk, for how long, and paper-out.
#include "drivers/sim/sim_printer.hpp"

#include "drivers/printer/escpos_encode.hpp"
#include "drivers/printer/receipt_printer.hpp"
#include "drivers/sim/sim_transport.hpp"

#include <doctest/doctest.h>
#include <stb/stb_image.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "escpos_bytes.hpp"

namespace fs = std::filesystem;
using drivers::DeviceState;
using drivers::SimPrinter;
using drivers::SimPrinterOptions;
using sim_test::Job;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "sim-printer-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

std::vector<std::uint8_t> read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int count_ext(const fs::path& dir, const std::string& ext) {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ext ? 1 : 0;
    return n;
}

std::vector<std::uint8_t> small_receipt(const std::string& line) {
    Job j;
    j.init().align(1).chinese("取餐小票").lf().align(0).line(line).feed(3).cut();
    return j.bytes;
}

}  // namespace

TEST_CASE("a print keeps the exact bytes and a PNG preview of the paper's width") {
    TempDir tmp;
    for (int dots : {384, 576}) {
        SimPrinter printer(tmp.path / std::to_string(dots), dots);
        CHECK(printer.health().state == DeviceState::Ready);
        const auto bytes = small_receipt("No. 0001");
        auto r = printer.print(bytes, "pickup 0001");
        REQUIRE(r.ok());
        CHECK(r->seq == 1);
        CHECK(r->label == "pickup 0001");
        CHECK(r->bytes == bytes.size());
        CHECK(r->preview_error.empty());
        CHECK(r->bin.extension() == ".bin");
        CHECK(r->bin.parent_path() == tmp.path / std::to_string(dots));
        CHECK(read_all(r->bin) == bytes);
        REQUIRE_FALSE(r->png.empty());
        CHECK(r->png.stem() == r->bin.stem());
        int w = 0, h = 0, c = 0;
        unsigned char* px = stbi_load(r->png.c_str(), &w, &h, &c, 1);
        REQUIRE(px != nullptr);
        stbi_image_free(px);
        CHECK(w == dots + 2 * 24);
        CHECK(h > 100);
        CHECK(printer.health().last_event.time_since_epoch().count() != 0);
        CHECK(count_ext(printer.dir(), ".tmp") == 0);
    }
}

TEST_CASE("only the newest jobs are kept and recent lists them newest first") {
    TempDir tmp;
    SimPrinter printer(SimPrinterOptions{tmp.path, 384, 3, {}});
    for (int i = 1; i <= 5; ++i)
        REQUIRE(printer.print(small_receipt("job " + std::to_string(i)), "job " + std::to_string(i)).ok());
    CHECK(count_ext(tmp.path, ".bin") == 3);
    CHECK(count_ext(tmp.path, ".png") == 3);
    CHECK(count_ext(tmp.path, ".label") == 3);
    const auto recent = printer.recent(10);
    REQUIRE(recent.size() == 3);
    CHECK(recent[0].label == "job 5");
    CHECK(recent[1].label == "job 4");
    CHECK(recent[2].label == "job 3");
    CHECK(recent[0].seq == 5);
    CHECK(recent[0].at >= recent[2].at);
    CHECK(printer.recent(1).size() == 1);
    for (const auto& r : recent) CHECK(fs::exists(r.bin));
}

TEST_CASE("a new printer on the same folder lists the earlier jobs and numbers on") {
    TempDir tmp;
    std::chrono::system_clock::time_point first_at;
    {
        SimPrinter first(tmp.path, 384);
        auto r = first.print(small_receipt("a"), "first");
        REQUIRE(r.ok());
        first_at = r->at;
        REQUIRE(first.print(small_receipt("b"), "second").ok());
    }
    SimPrinter again(tmp.path, 384);
    auto before = again.recent(5);
    REQUIRE(before.size() == 2);
    CHECK(before[0].label == "second");
    CHECK(before[1].label == "first");
    CHECK(before[1].at == first_at);
    CHECK_FALSE(before[1].png.empty());
    auto r = again.print(small_receipt("c"), "third");
    REQUIRE(r.ok());
    CHECK(r->seq == 3);
}

TEST_CASE("paper out refuses the job writes nothing and shows as a fault") {
    TempDir tmp;
    SimPrinter printer(tmp.path / "p", 384);
    printer.set_paper(false);
    CHECK(printer.health().state == DeviceState::Fault);
    CHECK(printer.health().status == "paper out");
    auto r = printer.print(small_receipt("x"), "refused");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "printer.paper_out");
    CHECK_FALSE(fs::exists(tmp.path / "p"));
    CHECK(printer.recent(5).empty());
    printer.set_paper(true);
    CHECK(printer.health().state == DeviceState::Ready);
    REQUIRE(printer.print(small_receipt("x"), "after").ok());
    CHECK(printer.recent(5).size() == 1);
    printer.set_paper_low(true);
    CHECK(printer.health().state == DeviceState::Degraded);
    REQUIRE(printer.print(small_receipt("y"), "low").ok());
}

TEST_CASE("an unwritable folder is a write error and a missing font still keeps the bytes") {
    TempDir tmp;
    {
        std::ofstream(tmp.path / "file") << "x";
        SimPrinter printer(tmp.path / "file" / "sub", 384);
        auto r = printer.print(small_receipt("x"), "nowhere");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "printer.write");
        CHECK(r.error().message.find("file/sub") != std::string::npos);  // names the path
        CHECK(printer.health().state == DeviceState::Fault);
        CHECK(printer.recent(5).empty());
    }
    SimPrinterOptions opt{tmp.path / "nofont", 384, 50, {}};
    opt.preview.font_path = "/nonexistent/font.ttc";
    SimPrinter printer(opt);
    const auto bytes = small_receipt("Private Name");
    auto r = printer.print(bytes, "no preview");
    REQUIRE(r.ok());
    CHECK(r->png.empty());
    CHECK(r->preview_error == "preview.font");
    CHECK(read_all(r->bin) == bytes);
    CHECK(printer.health().state == DeviceState::Degraded);
    CHECK(printer.health().last_error.find("Private") == std::string::npos);
}

// ---------------------------------------------------------------------------
// The simulated printer behind the real spool.
// ---------------------------------------------------------------------------

TEST_CASE("sim transport: out of paper, the job waits, and with paper back it prints once") {
    const auto dir = std::filesystem::temp_directory_path() / ("sim-spool-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto sim = std::make_shared<drivers::SimPrinter>(dir / "paper", 384);
    sim->set_paper(false);
    drivers::escpos::PrinterOptions o;
    o.spool_dir = dir / "spool";
    o.retry_min = std::chrono::milliseconds{20};
    o.retry_max = std::chrono::milliseconds{50};
    auto printer = drivers::escpos::ReceiptPrinter::start(std::make_unique<drivers::SimTransport>(sim), o);
    REQUIRE(printer.ok());
    drivers::escpos::Receipt r;
    r.text("取餐号 0042").cut();
    const auto bytes = drivers::escpos::encode(r, {});
    auto id = (*printer)->submit(bytes, "pickup 0042");
    REQUIRE(id.ok());
    using drivers::escpos::JobInfo;
    using drivers::escpos::JobState;
    using drivers::escpos::WaitReason;
    CHECK((*printer)->wait_for(*id, [](const JobInfo& j) { return j.reason == WaitReason::PaperOut; },
                               std::chrono::seconds{5}));
    CHECK(sim->recent(10).empty());
    sim->set_paper(true);
    (*printer)->retry_now();
    CHECK((*printer)->wait_for(*id, [](const JobInfo& j) { return j.state == JobState::Printed; },
                               std::chrono::seconds{5}));
    const auto jobs = sim->recent(10);
    REQUIRE(jobs.size() == 1);
    CHECK_FALSE(jobs[0].png.empty());
    (*printer)->stop();
    std::filesystem::remove_all(dir);
}

TEST_CASE("sim transport: status bytes carry the fixed bits and the paper state") {
    using drivers::SimTransport;
    CHECK(SimTransport::status_byte(1, true, false) == 0x12);
    CHECK(SimTransport::status_byte(4, true, false) == 0x12);
    CHECK(SimTransport::status_byte(4, true, true) == 0x1E);
    CHECK(SimTransport::status_byte(4, false, false) == 0x7E);
    CHECK(SimTransport::status_byte(2, false, false) == 0x32);
}
