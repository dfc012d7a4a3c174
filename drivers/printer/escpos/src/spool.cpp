#include "spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace drivers::escpos::detail {

namespace fs = std::filesystem;
using std::chrono::system_clock;

namespace {

constexpr std::string_view kMagic = "ESCPOS-JOB 1";

DriverError spool_error(const std::string& what, int e) {
    return {"printer.spool", what + ": " + std::strerror(e) + (e == ENOSPC ? " (the disk is full)" : "")};
}

long long to_ms(system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
system_clock::time_point from_ms(long long ms) { return system_clock::time_point(std::chrono::milliseconds(ms)); }

bool parse_u64(std::string_view s, std::uint64_t& out) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

Expected<void> sync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return spool_error("cannot open the spool directory " + dir.string(), errno);
    const int rc = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    if (rc != 0) return spool_error("cannot sync the spool directory " + dir.string(), e);
    return {};
}

// Writes `parts` to `path` durably: temp file, fsync, rename, fsync of the directory.
Expected<void> write_durably(const fs::path& path, std::initializer_list<std::span<const std::uint8_t>> parts) {
    const fs::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return spool_error("cannot write the spool file " + tmp.string(), errno);
    for (const auto& part : parts) {
        std::size_t done = 0;
        while (done < part.size()) {
            const ssize_t w = ::write(fd, part.data() + done, part.size() - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                const int e = w < 0 ? errno : EIO;
                ::close(fd);
                ::unlink(tmp.c_str());
                return spool_error("cannot write the spool file " + tmp.string(), e);
            }
            done += static_cast<std::size_t>(w);
        }
    }
    if (::fsync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return spool_error("cannot sync the spool file " + tmp.string(), e);
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        return spool_error("cannot rename the spool file " + tmp.string(), e);
    }
    return sync_dir(path.parent_path());
}

std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Header {
    long long created = 0;
    std::string label;
    std::uint64_t size = 0;
    std::uint32_t crc = 0;
    std::size_t data_offset = 0;
};

// Parses the header from the start of a .job file.
bool parse_header(std::string_view text, Header& h) {
    std::size_t pos = 0;
    int seen = 0;
    bool magic = false;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) return false;
        const std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.empty()) {
            h.data_offset = pos;
            return magic && seen == 4;
        }
        if (!magic) {
            if (line != kMagic) return false;
            magic = true;
            continue;
        }
        const auto sp = line.find(' ');
        const std::string_view key = line.substr(0, sp);
        const std::string_view val = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
        std::uint64_t v = 0;
        if (key == "created" && parse_u64(val, v)) {
            h.created = static_cast<long long>(v);
            ++seen;
        } else if (key == "label") {
            h.label = std::string(val);
            ++seen;
        } else if (key == "size" && parse_u64(val, v)) {
            h.size = v;
            ++seen;
        } else if (key == "crc32" && val.size() == 8) {
            const auto [p, ec] = std::from_chars(val.data(), val.data() + 8, h.crc, 16);
            if (ec != std::errc() || p != val.data() + 8) return false;
            ++seen;
        } else {
            return false;
        }
    }
    return false;
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (const std::uint8_t b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

fs::path Spool::job_path(std::uint64_t id) const {
    char name[40];
    std::snprintf(name, sizeof name, "%020llu.job", static_cast<unsigned long long>(id));
    return dir_ / name;
}
fs::path Spool::done_path(std::uint64_t id) const {
    char name[40];
    std::snprintf(name, sizeof name, "%020llu.done", static_cast<unsigned long long>(id));
    return dir_ / name;
}

Expected<Spool> Spool::open(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return DriverError{"printer.spool", "cannot create the spool directory " + dir.string() + ": " + ec.message()};
    Spool s(dir);
    std::vector<std::uint64_t> jobs, dones;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path p = it->path();
        const std::string ext = p.extension().string();
        std::uint64_t id = 0;
        if (ext == ".tmp") {  // a write that never completed: its submit returned no id
            fs::remove(p, ec);
            ec.clear();
        } else if ((ext == ".job" || ext == ".done") && parse_u64(p.stem().string(), id)) {
            (ext == ".job" ? jobs : dones).push_back(id);
        }
    }
    if (ec) return DriverError{"printer.spool", "cannot read the spool directory " + dir.string() + ": " + ec.message()};
    std::sort(jobs.begin(), jobs.end());
    std::sort(dones.begin(), dones.end());
    for (const auto id : dones)  // a .done whose .job was pruned
        if (!std::binary_search(jobs.begin(), jobs.end(), id)) fs::remove(s.done_path(id), ec);
    for (const auto id : jobs) {
        SpoolEntry e;
        e.id = id;
        std::ifstream in(s.job_path(id), std::ios::binary);
        std::string head(4096, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        Header h;
        if (parse_header(head, h)) {
            e.label = h.label;
            e.size = h.size;
            e.created = from_ms(h.created);
        } else {
            e.damaged = true;
            e.created = system_clock::now();
        }
        if (std::binary_search(dones.begin(), dones.end(), id)) {
            std::ifstream d(s.done_path(id));
            std::string word;
            long long ms = 0;
            d >> word >> ms;
            e.end = word == "printed" ? SpoolEntry::End::Printed
                    : word == "cancelled" ? SpoolEntry::End::Cancelled
                                          : SpoolEntry::End::Failed;  // unreadable: never print it again
            e.ended = from_ms(ms);
        }
        s.entries_.push_back(std::move(e));
        s.next_id_ = std::max(s.next_id_, id + 1);
    }
    return s;
}

Expected<SpoolEntry> Spool::add(std::span<const std::uint8_t> bytes, const std::string& label,
                                system_clock::time_point created) {
    SpoolEntry e;
    e.id = next_id_;
    e.size = bytes.size();
    e.created = created;
    e.label = label;
    std::replace(e.label.begin(), e.label.end(), '\n', ' ');
    std::replace(e.label.begin(), e.label.end(), '\r', ' ');
    char crc[9];
    std::snprintf(crc, sizeof crc, "%08x", crc32(bytes));
    const std::string header = std::string(kMagic) + "\ncreated " + std::to_string(to_ms(created)) + "\nlabel " +
                               e.label + "\nsize " + std::to_string(bytes.size()) + "\ncrc32 " + crc + "\n\n";
    if (header.size() > 4000) return DriverError{"printer.spool", "the job's label is too long"};
    if (auto w = write_durably(job_path(e.id), {bytes_of(header), bytes}); !w) return w.error();
    ++next_id_;
    entries_.push_back(e);
    return e;
}

Expected<std::vector<std::uint8_t>> Spool::read(std::uint64_t id) const {
    std::ifstream in(job_path(id), std::ios::binary);
    if (!in) return DriverError{"printer.spool", "cannot read the spool file " + job_path(id).string()};
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Header h;
    if (!parse_header(std::string_view(all).substr(0, std::min<std::size_t>(all.size(), 4096)), h) ||
        all.size() - h.data_offset != h.size)
        return DriverError{"printer.spool_corrupt", "the spool file " + job_path(id).string() + " is damaged"};
    std::vector<std::uint8_t> bytes(all.begin() + static_cast<std::ptrdiff_t>(h.data_offset), all.end());
    if (crc32(bytes) != h.crc)
        return DriverError{"printer.spool_corrupt", "the spool file " + job_path(id).string() + " is damaged"};
    return bytes;
}

Expected<void> Spool::finish(std::uint64_t id, SpoolEntry::End end, system_clock::time_point when) {
    const char* word = end == SpoolEntry::End::Printed ? "printed" : end == SpoolEntry::End::Cancelled ? "cancelled" : "failed";
    const std::string text = std::string(word) + " " + std::to_string(to_ms(when)) + "\n";
    return write_durably(done_path(id), {bytes_of(text)});
}

void Spool::remove(std::uint64_t id) {
    std::error_code ec;
    fs::remove(job_path(id), ec);  // first: a lone .done is harmless, a lone .job would print again
    fs::remove(done_path(id), ec);
}

}  // namespace drivers::escpos::detail
