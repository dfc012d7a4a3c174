#include "fake_ga467.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace ga467_test {

namespace {

constexpr std::uint8_t kPre[5] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

std::vector<char16_t> utf16(std::string_view s) {
    std::vector<char16_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        char32_t cp = 0;
        std::size_t n = 1;
        if (c < 0x80) {
            cp = c;
        } else if ((c >> 5) == 0x6) {
            cp = c & 0x1F;
            n = 2;
        } else if ((c >> 4) == 0xE) {
            cp = c & 0x0F;
            n = 3;
        } else {
            cp = c & 0x07;
            n = 4;
        }
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
            out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
    }
    return out;
}

void put_units(TextArea& area, std::size_t offset, std::size_t size, const std::vector<char16_t>& units) {
    for (std::size_t i = 0; i + 1 < size; i += 2) {
        const char16_t u = i / 2 < units.size() ? units[i / 2] : u' ';
        area[offset + i] = static_cast<std::uint8_t>(u & 0xFF);
        area[offset + i + 1] = static_cast<std::uint8_t>(u >> 8);
    }
}

}  // namespace

void put_field(TextArea& area, std::size_t offset, std::size_t size, std::string_view utf8) {
    put_units(area, offset, size, utf16(utf8));
}

TextArea text_area(const drivers::IdCardText& t) {
    TextArea a{};
    put_field(a, 0, 256, "");  // all spaces
    using D = drivers::IdDocument;
    char16_t flag = u' ';
    switch (t.document) {
        case D::ResidentIdCard:
        case D::HkMacauTaiwanPermit:
            put_field(a, 0, 30, t.name);
            put_field(a, 30, 2, t.gender);
            if (t.document == D::ResidentIdCard) put_field(a, 32, 4, t.ethnicity);
            put_field(a, 36, 16, t.birth);
            put_field(a, 52, 70, t.address);
            put_field(a, 122, 36, t.id_number);
            put_field(a, 158, 30, t.authority);
            put_field(a, 188, 16, t.valid_from);
            put_field(a, 204, 16, t.valid_to);
            if (t.document == D::HkMacauTaiwanPermit) {
                put_field(a, 220, 18, t.pass_number);
                put_field(a, 238, 4, t.issue_count);
                flag = u'J';
            }
            break;
        case D::ForeignPermanent:
            put_field(a, 0, 120, t.english_name);
            put_field(a, 120, 2, t.gender);
            put_field(a, 122, 30, t.id_number);
            put_field(a, 152, 6, t.nationality);
            put_field(a, 158, 30, t.name);
            put_field(a, 188, 16, t.valid_from);
            put_field(a, 204, 16, t.valid_to);
            put_field(a, 220, 16, t.birth);
            put_field(a, 236, 4, t.card_version);
            put_field(a, 240, 8, t.authority);
            flag = u'I';
            break;
        case D::ForeignPermanent2023: {
            put_field(a, 0, 30, t.name);
            put_field(a, 30, 2, t.gender);
            put_field(a, 32, 4, t.issue_count);
            put_field(a, 36, 16, t.birth);
            // The English name: 35 characters at 52, the rest (up to 11) at 220.
            const auto en = utf16(t.english_name);
            const std::vector<char16_t> first(en.begin(), en.begin() + static_cast<long>(std::min<std::size_t>(35, en.size())));
            const std::vector<char16_t> rest(en.begin() + static_cast<long>(first.size()), en.end());
            put_units(a, 52, 70, first);
            put_units(a, 220, 22, rest);
            put_field(a, 122, 36, t.id_number);
            put_field(a, 188, 16, t.valid_from);
            put_field(a, 204, 16, t.valid_to);
            put_field(a, 242, 6, t.nationality);
            flag = u'Y';
            break;
        }
    }
    a[248] = static_cast<std::uint8_t>(flag & 0xFF);
    a[249] = static_cast<std::uint8_t>(flag >> 8);
    return a;
}

std::vector<std::uint8_t> response_frame(std::uint8_t sw3, const std::vector<std::uint8_t>& data) {
    const std::size_t len = 3 + data.size() + 1;
    std::vector<std::uint8_t> f(std::begin(kPre), std::end(kPre));
    f.push_back(static_cast<std::uint8_t>(len >> 8));
    f.push_back(static_cast<std::uint8_t>(len));
    f.push_back(0x00);
    f.push_back(0x00);
    f.push_back(sw3);
    f.insert(f.end(), data.begin(), data.end());
    std::uint8_t x = 0;
    for (std::size_t i = 5; i < f.size(); ++i) x ^= f[i];
    f.push_back(x);
    return f;
}

std::vector<std::uint8_t> read_reply(const TextArea& text) {
    std::vector<std::uint8_t> data{0x01, 0x00, 0x04, 0x00};  // TEXT_LEN 256, PHOTO_LEN 1024
    data.insert(data.end(), text.begin(), text.end());
    // A made-up photo: "WLf" and noise. The driver must never look at it.
    std::uint32_t x = 0x57'4C'66'00;
    for (std::size_t i = 0; i < 1024; ++i) {
        x = x * 1664525u + 1013904223u;
        data.push_back(i < 3 ? static_cast<std::uint8_t>("WLf"[i]) : static_cast<std::uint8_t>(x >> 24));
    }
    return response_frame(0x90, data);
}

// ---------------------------------------------------------------------------

FakeGa467::FakeGa467() : FakeGa467(Options{}) {}

FakeGa467::FakeGa467(Options options) : options_(options) {
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    open_pty();
    thread_ = std::thread([this] { run(); });
}

FakeGa467::~FakeGa467() {
    unplug();
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

void FakeGa467::open_pty() {
    termios raw{};
    cfmakeraw(&raw);
    raw.c_cflag |= CLOCAL | CREAD;
    cfsetispeed(&raw, B115200);
    cfsetospeed(&raw, B115200);
    char name[128] = {};
    if (openpty(&master_, &slave_, name, &raw, nullptr) != 0) throw std::runtime_error("openpty failed");
    fcntl(master_, F_SETFL, fcntl(master_, F_GETFL) | O_NONBLOCK);
    fcntl(master_, F_SETFD, FD_CLOEXEC);
    fcntl(slave_, F_SETFD, FD_CLOEXEC);
    tty_ = name;
}

void FakeGa467::close_pty() {
    if (master_ >= 0) ::close(master_);
    if (slave_ >= 0) ::close(slave_);
    master_ = slave_ = -1;
}

std::string FakeGa467::tty() const {
    std::lock_guard lock(mu_);
    return tty_;
}

void FakeGa467::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void FakeGa467::place(const TextArea& text) {
    std::lock_guard lock(mu_);
    card_ = text;
    quiet_ = false;
    selected_ = false;
}

void FakeGa467::remove() {
    std::lock_guard lock(mu_);
    card_.reset();
    quiet_ = false;
    selected_ = false;
}

void FakeGa467::answer(Cmd cmd, std::uint8_t sw3, int times) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < times; ++i) scripted_[static_cast<std::uint16_t>(cmd)].push_back(sw3);
}

void FakeGa467::fail_all(std::optional<std::uint8_t> sw3) {
    std::lock_guard lock(mu_);
    fail_all_ = sw3;
}

void FakeGa467::damage_next(Cmd cmd, Damage damage) {
    std::lock_guard lock(mu_);
    damage_[static_cast<std::uint16_t>(cmd)] = damage;
}

void FakeGa467::garbage_before_next_reply(std::vector<std::uint8_t> bytes) {
    std::lock_guard lock(mu_);
    garbage_ = std::move(bytes);
}

void FakeGa467::send_raw(std::vector<std::uint8_t> bytes) {
    {
        std::lock_guard lock(mu_);
        enqueue(std::move(bytes));
    }
    wake();
}

void FakeGa467::flood(std::size_t bytes) {
    {
        std::lock_guard lock(mu_);
        flood_left_ += bytes;
    }
    wake();
}

void FakeGa467::unplug() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mu_);
    close_pty();
    out_.clear();
    out_at_ = 0;
    in_.clear();
    read_reply_ends_.clear();
    written_ = enqueued_ = 0;
    flood_left_ = 0;
    tty_.clear();
}

std::string FakeGa467::replug() {
    unplug();
    std::lock_guard lock(mu_);
    open_pty();
    stopping_ = false;
    quiet_ = false;
    selected_ = false;
    thread_ = std::thread([this] { run(); });
    return tty_;
}

int FakeGa467::requests(Cmd cmd) const {
    std::lock_guard lock(mu_);
    const auto it = seen_.find(static_cast<std::uint16_t>(cmd));
    return it == seen_.end() ? 0 : it->second;
}

int FakeGa467::bad_requests() const {
    std::lock_guard lock(mu_);
    return bad_;
}

std::size_t FakeGa467::flood_left() const {
    std::lock_guard lock(mu_);
    return flood_left_;
}

bool FakeGa467::wait_requests(Cmd cmd, int n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
        const auto it = seen_.find(static_cast<std::uint16_t>(cmd));
        return it != seen_.end() && it->second >= n;
    });
}

std::chrono::steady_clock::time_point FakeGa467::last_read_reply_at() const {
    std::lock_guard lock(mu_);
    return last_read_reply_at_;
}

int FakeGa467::read_replies() const {
    std::lock_guard lock(mu_);
    return read_replies_;
}

// ---------------------------------------------------------------------------
// The device thread

void FakeGa467::enqueue(std::vector<std::uint8_t> bytes, bool is_read_reply) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    enqueued_ += bytes.size();
    if (is_read_reply) read_reply_ends_.push_back(enqueued_);
}

void FakeGa467::pump_out() {
    for (;;) {
        if (out_at_ == out_.size()) {
            out_.clear();
            out_at_ = 0;
            if (flood_left_ == 0) return;
            const std::size_t n = std::min<std::size_t>(flood_left_, 256);
            std::vector<std::uint8_t> noise(n);
            for (auto& b : noise) b = static_cast<std::uint8_t>(rng_() & 0xFF);
            flood_left_ -= n;
            enqueue(std::move(noise));
        }
        const ssize_t w = ::write(master_, out_.data() + out_at_, out_.size() - out_at_);
        if (w <= 0) return;  // the pty is full (EAGAIN) or gone: try again when writable
        out_at_ += static_cast<std::size_t>(w);
        written_ += static_cast<std::uint64_t>(w);
        while (!read_reply_ends_.empty() && read_reply_ends_.front() <= written_) {
            read_reply_ends_.pop_front();
            last_read_reply_at_ = std::chrono::steady_clock::now();
            ++read_replies_;
        }
    }
}

void FakeGa467::handle_request(std::uint16_t cmd, bool frame_ok, bool len_ok) {
    ++seen_[cmd];
    cv_.notify_all();
    std::vector<std::uint8_t> reply;
    bool good_read = false;
    if (!len_ok) {
        ++bad_;
        reply = response_frame(0x11);
    } else if (!frame_ok) {
        ++bad_;
        reply = response_frame(0x10);
    } else if (fail_all_) {
        reply = response_frame(*fail_all_);
    } else if (auto it = scripted_.find(cmd); it != scripted_.end() && !it->second.empty()) {
        reply = response_frame(it->second.front());
        it->second.pop_front();
    } else {
        const bool answering = card_.has_value() && !quiet_;
        switch (static_cast<Cmd>(cmd)) {
            case Cmd::SamStatus: reply = response_frame(0x90); break;
            case Cmd::SamId: reply = response_frame(0x90, std::vector<std::uint8_t>(16, 0x05)); break;
            case Cmd::Find:
                selected_ = false;
                reply = answering ? response_frame(0x9F, {0, 0, 0, 0}) : response_frame(0x80);
                break;
            case Cmd::Select:
                selected_ = answering;
                reply = answering ? response_frame(0x90, std::vector<std::uint8_t>(8, 0)) : response_frame(0x81);
                break;
            case Cmd::Read:
            case Cmd::ReadFingerprint:
                if (answering && selected_) {
                    if (static_cast<Cmd>(cmd) == Cmd::Read) {
                        reply = read_reply(*card_);
                    } else {  // FP_LEN 1024 after PHOTO_LEN, the fingerprint after the photo
                        auto r = read_reply(*card_);
                        std::vector<std::uint8_t> data(r.begin() + 10, r.end() - 1);
                        data.insert(data.begin() + 4, {0x04, 0x00});
                        data.insert(data.end(), 1024, 0xF1);
                        reply = response_frame(0x90, data);
                    }
                    good_read = true;
                    if (options_.quiet_after_read) quiet_ = true;
                } else {
                    reply = response_frame(0x41);
                }
                selected_ = false;
                break;
            default: reply = response_frame(0x21); break;
        }
    }

    if (auto d = damage_.find(cmd); d != damage_.end()) {
        const Damage damage = d->second;
        damage_.erase(d);
        good_read = false;
        const std::size_t len = static_cast<std::size_t>(reply[5]) << 8 | reply[6];
        auto set_len = [&](std::size_t l) {
            reply[5] = static_cast<std::uint8_t>(l >> 8);
            reply[6] = static_cast<std::uint8_t>(l);
        };
        switch (damage) {
            case Damage::Checksum: reply.back() ^= 0x5A; break;
            case Damage::LengthLong: set_len(len + 16); break;
            case Damage::LengthHuge: set_len(0xFFFF); break;
            case Damage::LengthShort: set_len(len > 20 ? len - 16 : 1); break;
            case Damage::Truncate: reply.resize(reply.size() / 2); break;
            case Damage::Silence: reply.clear(); break;
            case Damage::PullCard:
                reply.resize(reply.size() / 2);
                card_.reset();
                quiet_ = false;
                selected_ = false;
                break;
        }
    }
    if (!garbage_.empty()) enqueue(std::exchange(garbage_, {}));
    if (!reply.empty()) enqueue(std::move(reply), good_read);
}

void FakeGa467::run() {
    std::array<std::uint8_t, 512> buf{};
    for (;;) {
        short events = POLLIN;
        {
            std::lock_guard lock(mu_);
            if (stopping_) return;
            if (out_at_ < out_.size() || flood_left_ > 0) events |= POLLOUT;
        }
        pollfd fds[2] = {{master_, events, 0}, {wake_fd_, POLLIN, 0}};
        ::poll(fds, 2, 100);
        if ((fds[1].revents & POLLIN) != 0) {
            std::uint64_t v = 0;
            [[maybe_unused]] auto n = ::read(wake_fd_, &v, sizeof v);
        }
        std::lock_guard lock(mu_);
        if (stopping_) return;
        if ((fds[0].revents & POLLIN) != 0) {
            const ssize_t r = ::read(master_, buf.data(), buf.size());
            if (r > 0) in_.insert(in_.end(), buf.begin(), buf.begin() + r);
        }
        // Requests: a reader ignores bytes outside frames.
        for (;;) {
            const auto at = std::search(in_.begin(), in_.end(), std::begin(kPre), std::end(kPre));
            in_.erase(in_.begin(), at);
            if (in_.size() < 7) break;
            const std::size_t len = static_cast<std::size_t>(in_[5]) << 8 | in_[6];
            if (len < 3 || len > 64) {
                in_.erase(in_.begin());
                handle_request(0, false, false);
                continue;
            }
            if (in_.size() < 7 + len) break;
            std::uint8_t x = 0;
            for (std::size_t i = 5; i < 7 + len - 1; ++i) x ^= in_[i];
            const bool ok = x == in_[7 + len - 1];
            const auto cmd = static_cast<std::uint16_t>(in_[7] << 8 | in_[8]);
            in_.erase(in_.begin(), in_.begin() + static_cast<long>(7 + len));
            handle_request(cmd, ok, true);
        }
        pump_out();
    }
}

}  // namespace ga467_test
