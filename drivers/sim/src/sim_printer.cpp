#include "drivers/sim/sim_printer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>

namespace drivers {

namespace {

using Clock = std::chrono::system_clock;

// 20240601T093015123Z: UTC, milliseconds, sorts as text.
std::string stamp(Clock::time_point at) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

// Parses a stem written by this printer: "<stamp>-<seq>". False for anything else.
bool parse_stem(const std::string& stem, Clock::time_point& at, std::uint64_t& seq) {
    int Y = 0, M = 0, D = 0, h = 0, m = 0, s = 0, ms = 0;
    unsigned long long q = 0;
    int used = 0;
    if (stem.size() < 21 ||
        std::sscanf(stem.c_str(), "%4d%2d%2dT%2d%2d%2d%3dZ-%llu%n", &Y, &M, &D, &h, &m, &s, &ms, &q, &used) != 8 ||
        static_cast<std::size_t>(used) != stem.size())
        return false;
    std::tm tm{};
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = s;
    const std::time_t secs = ::timegm(&tm);
    at = Clock::time_point(std::chrono::milliseconds(static_cast<long long>(secs) * 1000 + ms));
    seq = q;
    return true;
}

std::string sys_error(const std::string& what, const std::filesystem::path& path, int err) {
    return "cannot " + what + " " + path.string() + ": " + std::strerror(err);
}

// Writes a file through <path>.tmp and a rename; with `durable`, the data and
// the folder entry are fsync'd. Returns an empty string or the reason.
std::string write_file(const std::filesystem::path& path, std::span<const std::uint8_t> data, bool durable) {
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return sys_error("write", tmp, errno);
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            ::unlink(tmp.c_str());
            return sys_error("write", tmp, err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (durable && ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return sys_error("sync", tmp, err);
    }
    if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return sys_error("write", path, err);
    }
    if (durable) {
        const int dfd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
    }
    return {};
}

}  // namespace

SimPrinter::SimPrinter(std::filesystem::path dir, int paper_dots)
    : SimPrinter(SimPrinterOptions{std::move(dir), paper_dots, 50, {}}) {}

SimPrinter::SimPrinter(SimPrinterOptions options)
    : opt_(std::move(options)), health_("sim printer " + opt_.dir.string()) {
    opt_.keep_jobs = std::max<std::size_t>(opt_.keep_jobs, 1);
    opt_.preview.paper_dots = opt_.paper_dots;
    std::lock_guard lock(mu_);
    scan();
    refresh_health();
}

void SimPrinter::scan() {
    std::error_code ec;
    if (!std::filesystem::is_directory(opt_.dir, ec)) return;
    for (auto it = std::filesystem::directory_iterator(opt_.dir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const auto& p = it->path();
        if (p.extension() != ".bin") continue;
        PrintJobRecord r;
        if (!parse_stem(p.stem().string(), r.at, r.seq)) continue;
        r.bin = p;
        std::error_code e2;
        r.bytes = static_cast<std::size_t>(std::filesystem::file_size(p, e2));
        auto png = p;
        png.replace_extension(".png");
        if (std::filesystem::exists(png, e2)) r.png = png;
        auto label = p;
        label.replace_extension(".label");
        if (std::ifstream in(label, std::ios::binary); in) {
            char buf[1024];
            in.read(buf, sizeof buf);
            r.label.assign(buf, static_cast<std::size_t>(in.gcount()));
        }
        jobs_.push_back(std::move(r));
    }
    std::sort(jobs_.begin(), jobs_.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    if (!jobs_.empty()) next_seq_ = jobs_.back().seq + 1;
}

Expected<PrintJobRecord> SimPrinter::print(std::span<const std::uint8_t> bytes, std::string label) {
    std::lock_guard lock(mu_);
    if (!paper_) {
        health_.error("job refused: paper out");
        return DriverError{"printer.paper_out", "the printer is out of paper; load a new roll"};
    }
    std::error_code ec;
    // Receipts hold personal data: a folder made here is the owner's only.
    if (std::filesystem::create_directories(opt_.dir, ec) && !ec)
        std::filesystem::permissions(opt_.dir, std::filesystem::perms::owner_all, ec);
    if (ec) {
        write_failed_ = true;
        refresh_health();
        const std::string msg = "cannot create the printer folder " + opt_.dir.string() + ": " + ec.message();
        health_.error(msg);
        return DriverError{"printer.write", msg};
    }

    PrintJobRecord r;
    r.seq = next_seq_;
    r.at = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
    r.label = std::move(label);
    r.bytes = bytes.size();
    char seq[24];
    std::snprintf(seq, sizeof seq, "%06llu", static_cast<unsigned long long>(r.seq));
    const std::string stem = stamp(r.at) + "-" + seq;
    r.bin = opt_.dir / (stem + ".bin");
    const auto label_path = opt_.dir / (stem + ".label");

    std::string err =
        write_file(label_path, {reinterpret_cast<const std::uint8_t*>(r.label.data()), r.label.size()}, false);
    if (err.empty()) err = write_file(r.bin, bytes, true);
    if (!err.empty()) {
        std::filesystem::remove(label_path, ec);
        write_failed_ = true;
        refresh_health();
        health_.error(err);
        return DriverError{"printer.write", err};
    }
    ++next_seq_;
    write_failed_ = false;

    auto image = render_preview(bytes, opt_.preview);
    if (image) {
        r.preview_truncated = image->notes.truncated;
        const auto png = opt_.dir / (stem + ".png");
        if (auto w = write_png(*image, png); w) {
            r.png = png;
            preview_failed_ = false;
        } else {
            r.preview_error = w.error().code;
            preview_failed_ = true;
            health_.error(w.error().message);
        }
    } else {
        r.preview_error = image.error().code;
        preview_failed_ = true;
        health_.error(image.error().message);
    }
    jobs_.push_back(r);
    prune();
    health_.event();
    refresh_health();
    return r;
}

void SimPrinter::prune() {
    while (jobs_.size() > opt_.keep_jobs) {
        const auto& old = jobs_.front();
        std::error_code ec;
        std::filesystem::remove(old.bin, ec);
        auto other = old.bin;
        std::filesystem::remove(other.replace_extension(".png"), ec);
        std::filesystem::remove(other.replace_extension(".label"), ec);
        jobs_.erase(jobs_.begin());
    }
}

std::vector<PrintJobRecord> SimPrinter::recent(std::size_t n) const {
    std::lock_guard lock(mu_);
    std::vector<PrintJobRecord> out;
    for (auto it = jobs_.rbegin(); it != jobs_.rend() && out.size() < n; ++it) out.push_back(*it);
    return out;
}

void SimPrinter::set_paper(bool present) {
    std::lock_guard lock(mu_);
    paper_ = present;
    refresh_health();
}

void SimPrinter::set_paper_low(bool low) {
    std::lock_guard lock(mu_);
    paper_low_ = low;
    refresh_health();
}

void SimPrinter::refresh_health() {
    if (!paper_)
        health_.set(DeviceState::Fault, "paper out");
    else if (write_failed_)
        health_.set(DeviceState::Fault, "cannot save jobs");
    else if (paper_low_)
        health_.set(DeviceState::Degraded, "paper low");
    else if (preview_failed_)
        health_.set(DeviceState::Degraded, "ready; previews unavailable");
    else
        health_.set(DeviceState::Ready, "ready");
}

bool SimPrinter::paper() const {
    std::lock_guard lock(mu_);
    return paper_;
}

bool SimPrinter::paper_low() const {
    std::lock_guard lock(mu_);
    return paper_low_;
}

}  // namespace drivers
