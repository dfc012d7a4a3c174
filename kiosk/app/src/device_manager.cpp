#include "device_manager.hpp"

#include <spdlog/spdlog.h>

#include "drivers/card/card_number.hpp"
#include "drivers/ga467/ga467_reader.hpp"
#include "drivers/hid/hid_card_reader.hpp"
#include "drivers/pcsc/pcsc_card_reader.hpp"
#include "drivers/printer/escpos_encode.hpp"
#include "drivers/sim/sim_transport.hpp"

#include <ctime>

namespace kiosk::app {

namespace {
std::string local_stamp(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    localtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

ReceiptRecord record_of(const drivers::escpos::JobInfo& j) {
    ReceiptRecord r;
    r.id = j.id;
    r.label = j.label;
    r.state = drivers::escpos::job_state_code(j.state);
    if (j.reason != drivers::escpos::WaitReason::None) r.reason = drivers::escpos::wait_reason_code(j.reason);
    r.detail = j.detail;
    r.created = j.created;
    r.printed = j.printed;
    return r;
}

Error driver_error(const drivers::DriverError& e) { return Error{e.code, e.message}; }
}  // namespace

drivers::escpos::FontCoverage font_coverage(const std::string& word) {
    using drivers::escpos::FontCoverage;
    if (word == "gbk") return FontCoverage::Gbk;
    if (word == "gb18030") return FontCoverage::Gb18030;
    if (word == "gb18030-all") return FontCoverage::Gb18030All;
    return FontCoverage::Gb2312;  // the safe assumption: cheap printers
}

DeviceManager::DeviceManager(const Config& config, bool demo) : config_(config), demo_(demo) {
    profile_.width_mm = config.devices.printer.width_mm;
    profile_.native_qr = config.devices.printer.native_qr;
    profile_.font = font_coverage(config.devices.printer.font);
}

DeviceManager::~DeviceManager() { stop(); }

Result<void> DeviceManager::add_readers(const drivers::CardSink& sink) {
    const auto& d = config_.devices;
    const bool sim = demo_ || d.card_reader.driver == "sim" || d.id_reader.driver == "sim";
    if (sim) {
        // One simulated reader stands for both: scripts and F1-F4 tap cards and place ID cards.
        auto reader = std::make_unique<drivers::SimCardReader>();
        sim_reader_ = reader.get();
        sim_reader_health_.set(drivers::DeviceState::Ready, "simulated reader: cards come from scripts and F1-F4");
        auto health = [this] { return sim_reader_health_.get(); };
        readers_.push_back({ui::DeviceKind::CardReader, std::move(reader), health});
    }
    if (!demo_ && d.card_reader.driver == "hid") {
        auto format = drivers::parse_card_format(d.card_reader.format);
        if (!format) return Error{"config.invalid", "[devices.card_reader] " + format.error().message};
        drivers::hid::HidReaderConfig c;
        c.path = d.card_reader.path;
        c.format = *format;
        auto reader = std::make_unique<drivers::hid::HidCardReader>(c);
        auto* raw = reader.get();
        readers_.push_back({ui::DeviceKind::CardReader, std::move(reader), [raw] { return raw->health(); }});
    }
    if (!demo_ && d.card_reader.driver == "pcsc") {
        drivers::pcsc::PcscReaderConfig c;
        c.reader = d.card_reader.reader;
        auto reader = std::make_unique<drivers::pcsc::PcscCardReader>(c);
        auto* raw = reader.get();
        readers_.push_back({ui::DeviceKind::CardReader, std::move(reader), [raw] { return raw->health(); }});
    }
    if (!demo_ && d.id_reader.driver == "ga467") {
        drivers::ga467::Options o;
        o.path = d.id_reader.path;
        o.baud = d.id_reader.baud;
        if (auto v = drivers::ga467::validate(o); !v) return Error{"config.invalid", "[devices.id_reader] " + v.error().message};
        auto reader = std::make_unique<drivers::ga467::Ga467Reader>(o);
        auto* raw = reader.get();
        readers_.push_back({ui::DeviceKind::IdReader, std::move(reader), [raw] { return raw->health(); }});
    }
    for (auto& r : readers_) r.driver->start(sink);
    return {};
}

Result<void> DeviceManager::add_receipt_printer() {
    const auto& p = config_.devices.printer;
    const std::filesystem::path data = config_.data.dir;
    std::unique_ptr<drivers::escpos::Transport> transport;
    if (demo_ || p.driver == "sim") {
        sim_printer_ = std::make_shared<drivers::SimPrinter>(data / "sim-printer", profile_.dots());
        transport = std::make_unique<drivers::SimTransport>(sim_printer_);
    } else if (p.driver == "escpos") {
        auto t = drivers::escpos::make_transport({p.transport, p.path, p.address, p.baud});
        if (!t) return Error{"config.invalid", "[devices.printer] " + t.error().message};
        transport = std::move(*t);
    } else {
        return {};
    }
    drivers::escpos::PrinterOptions o;
    o.spool_dir = data / "spool" / "receipts";
    o.on_change = [this](const drivers::escpos::JobInfo&) {
        if (notify_) notify_();
    };
    auto printer = drivers::escpos::ReceiptPrinter::start(std::move(transport), o);
    if (!printer) return Error{"devices.spool", printer.error().message};
    receipt_printer_ = std::move(*printer);
    return {};
}

Result<void> DeviceManager::add_a4_printer() {
    const auto& a = config_.devices.a4_printer;
    if (demo_ || a.driver != "cups") return {};
    drivers::a4::A4Printer::Options o;
    o.queue = a.queue;
    o.server = a.server;
    a4_printer_ = std::make_unique<drivers::a4::A4Printer>(o);
    a4_jobs_.set(drivers::DeviceState::Ready, "no A4 job yet");
    a4_thread_ = std::jthread([this](const std::stop_token& stop) { a4_worker(stop); });
    return {};
}

Result<void> DeviceManager::start(drivers::CardSink sink) {
    if (auto r = check_devices(config_); !r && !demo_) return r;
    if (auto r = add_readers(sink); !r) return r;
    if (auto r = add_receipt_printer(); !r) return r;
    if (auto r = add_a4_printer(); !r) return r;
    hotplug_.start([](const drivers::hotplug::DeviceChange& c) {
        // The drivers look for a missing device every second on their own;
        // the log shows staff what the system saw.
        spdlog::info("hotplug: {} {} {}", c.subsystem, drivers::hotplug::action_name(c.action), c.devnode);
    });
    health_thread_ = std::jthread([this](const std::stop_token& stop) { watch_health(stop); });
    return {};
}

void DeviceManager::watch_health(const std::stop_token& stop) {
    // Drivers' health strings never carry personal data (their contracts say so).
    std::vector<drivers::DeviceHealth> last;
    for (;;) {
        const auto now = report();
        for (std::size_t i = 0; i < now.size(); ++i) {
            const auto& h = now[i].health;
            const bool first = i >= last.size();
            if (first || last[i].state != h.state || last[i].status != h.status)
                spdlog::log(h.state == drivers::DeviceState::Ready ? spdlog::level::info : spdlog::level::warn,
                            "device {}: {} ({})", h.device, drivers::device_state_code(h.state), h.status);
            if (!first && !h.last_error.empty() && last[i].last_error != h.last_error)
                spdlog::warn("device {}: {}", h.device, h.last_error);
        }
        last.clear();
        for (const auto& r : now) last.push_back(r.health);
        std::unique_lock lock(health_mu_);
        if (health_cv_.wait_for(lock, stop, std::chrono::seconds{2}, [] { return false; }) || stop.stop_requested())
            return;
    }
}

void DeviceManager::stop() {
    if (health_thread_.joinable()) {
        health_thread_.request_stop();
        health_thread_.join();
    }
    hotplug_.stop();
    for (auto& r : readers_) r.driver->stop();
    if (receipt_printer_) receipt_printer_->stop();
    if (a4_thread_.joinable()) {
        a4_thread_.request_stop();
        a4_cv_.notify_all();
        a4_thread_.join();
    }
}

std::vector<DeviceReport> DeviceManager::report() const {
    std::vector<DeviceReport> out;
    for (const auto& r : readers_) {
        out.push_back({r.kind, r.health()});
        // The simulated reader also stands in for the ID card reader.
        if (r.driver.get() == sim_reader_) out.push_back({ui::DeviceKind::IdReader, r.health()});
    }
    if (receipt_printer_) {
        auto h = receipt_printer_->health();
        // The simulated paper's own state (paper out) is what staff would see on a real one.
        if (sim_printer_ && sim_printer_->health().state != drivers::DeviceState::Ready &&
            h.state == drivers::DeviceState::Ready)
            h = sim_printer_->health();
        out.push_back({ui::DeviceKind::ReceiptPrinter, h});
    }
    if (a4_printer_) {
        auto h = a4_printer_->health();
        const auto jobs = a4_jobs_.get();
        if (!jobs.last_error.empty()) h.last_error = jobs.last_error;
        if (jobs.last_event > h.last_event) h.last_event = jobs.last_event;
        out.push_back({ui::DeviceKind::A4Printer, h});
    }
    out.push_back({ui::DeviceKind::Hotplug, hotplug_.health()});
    return out;
}

bool DeviceManager::set_sim_paper(bool present) {
    if (!sim_printer_) return false;
    sim_printer_->set_paper(present);
    if (present && receipt_printer_) receipt_printer_->retry_now();
    if (notify_) notify_();
    return true;
}

Result<std::uint64_t> DeviceManager::print_receipt(const print::Receipt& receipt, const std::string& label) {
    if (!receipt_printer_) return Error{"devices.no_printer", "no receipt printer is configured"};
    const auto bytes = drivers::escpos::encode(receipt, profile_);
    auto id = receipt_printer_->submit(bytes, label);
    if (!id) return driver_error(id.error());
    return static_cast<std::uint64_t>(*id);
}

std::vector<ReceiptRecord> DeviceManager::recent_receipts() const {
    std::vector<ReceiptRecord> out;
    if (!receipt_printer_) return out;
    for (const auto& j : receipt_printer_->recent_jobs()) out.push_back(record_of(j));
    return out;
}

Result<std::uint64_t> DeviceManager::reprint(std::uint64_t id) {
    if (!receipt_printer_) return Error{"devices.no_printer", "no receipt printer is configured"};
    auto r = receipt_printer_->reprint(id);
    if (!r) return driver_error(r.error());
    return static_cast<std::uint64_t>(*r);
}

Result<std::vector<std::uint8_t>> DeviceManager::receipt_bytes(std::uint64_t id) const {
    if (!receipt_printer_) return Error{"devices.no_printer", "no receipt printer is configured"};
    auto r = receipt_printer_->job_bytes(id);
    if (!r) return driver_error(r.error());
    return std::move(*r);
}

Result<std::uint64_t> DeviceManager::print_test_receipt() {
    return print_receipt(print::test_receipt({config_.site.name, config_.terminal.id},
                                             local_stamp(std::chrono::system_clock::now())),
                         "测试小票");
}

std::string DeviceManager::wait_receipt(std::uint64_t id, std::chrono::seconds timeout) const {
    using drivers::escpos::JobInfo;
    using drivers::escpos::JobState;
    using drivers::escpos::WaitReason;
    if (!receipt_printer_) return "no receipt printer is configured";
    // Printed, or waiting with a reason (paper out, not connected): either is an answer.
    receipt_printer_->wait_for(
        id,
        [](const JobInfo& j) {
            return j.state == JobState::Printed || j.state == JobState::Failed ||
                   (j.state == JobState::Waiting && j.reason != WaitReason::None);
        },
        timeout);
    const auto j = receipt_printer_->job(id);
    if (!j) return "the job is gone";
    if (j->state == JobState::Printed) return "printed";
    std::string out = std::string("not printed yet (") + drivers::escpos::job_state_code(j->state);
    if (j->reason != WaitReason::None) out += ": " + std::string(drivers::escpos::wait_reason_code(j->reason));
    if (!j->detail.empty()) out += "; " + j->detail;
    return out + "); it stays queued and prints when the printer is ready";
}

drivers::a4::A4Notice DeviceManager::test_notice() const {
    drivers::a4::A4Notice n;
    n.title = "A4 打印测试页";
    n.issuer = config_.site.name;
    n.date = local_stamp(std::chrono::system_clock::now());
    n.paragraphs = {"这是社区服务终端的 A4 打印测试页。看到这一页，说明终端、CUPS 和打印机连通正常。",
                    "请检查：中文清楚、没有方框或缺字；生僻字“赟、堃、喆”完整；页码在页脚。",
                    std::string("终端：") + config_.terminal.id};
    n.footer = "如有问题，请联系县级平台运维人员。";
    return n;
}

Result<void> DeviceManager::print_test_a4() {
    if (!a4_printer_) return Error{"devices.no_printer", "no A4 printer is configured"};
    {
        std::lock_guard lock(a4_mu_);
        a4_queue_.push_back({test_notice(), "A4 打印测试页"});
    }
    a4_cv_.notify_all();
    return {};
}

Result<std::string> DeviceManager::print_test_a4_and_wait(std::chrono::seconds timeout) {
    if (!a4_printer_) return Error{"devices.no_printer", "no A4 printer is configured"};
    auto pdf = drivers::a4::render_pdf(test_notice());
    if (!pdf) return driver_error(pdf.error());
    auto job = a4_printer_->submit(*pdf, "A4 打印测试页");
    if (!job) return driver_error(job.error());
    auto done = a4_printer_->wait(*job, timeout);
    if (!done) return driver_error(done.error());
    return done->describe();
}

void DeviceManager::check_now() {
    if (a4_printer_) static_cast<void>(a4_printer_->check());
}

void DeviceManager::a4_worker(const std::stop_token& stop) {
    // The queue's state for staff: now, then every minute while idle.
    static_cast<void>(a4_printer_->check());
    if (notify_) notify_();
    for (;;) {
        A4Job job;
        {
            std::unique_lock lock(a4_mu_);
            if (!a4_cv_.wait_for(lock, stop, std::chrono::minutes{1}, [&] { return !a4_queue_.empty(); })) {
                if (stop.stop_requested()) return;
                lock.unlock();
                static_cast<void>(a4_printer_->check());
                if (notify_) notify_();
                continue;
            }
            job = std::move(a4_queue_.front());
            a4_queue_.pop_front();
        }
        auto pdf = drivers::a4::render_pdf(job.notice);
        if (!pdf) {
            a4_jobs_.error(pdf.error().message);
            continue;
        }
        auto id = a4_printer_->submit(*pdf, job.title);
        if (!id) {
            a4_jobs_.error(id.error().message);
            if (notify_) notify_();
            continue;
        }
        auto done = a4_printer_->wait(*id, std::chrono::minutes{10}, drivers::a4::A4Printer::Until::Finished, stop);
        if (done) a4_jobs_.event();
        else a4_jobs_.error(done.error().message);
        if (notify_) notify_();
    }
}

}  // namespace kiosk::app
