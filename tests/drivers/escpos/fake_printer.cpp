#include "fake_printer.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <iconv.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace escpos_test {

using namespace std::chrono_literals;

struct FakeNetworkPrinter::Impl {
    mutable std::mutex mu;
    std::condition_variable cv;
    // scripted state
    bool paper_out = false, near_end = false, cover_open = false, offline = false, error = false;
    bool answers = true, noise = false;
    std::optional<std::size_t> pending_reset;
    bool want_refusing = false, refusing = false;
    bool stop = false;
    // recordings
    std::vector<Connection> conns;

    // the server thread's own
    struct Client {
        int fd;
        std::size_t index;
        int scan = 0;  // 0: -, 1: saw DLE, 2: saw DLE EOT
        std::size_t payload = 0;
        std::optional<std::size_t> reset_at;
    };
    std::vector<Client> clients;
    int listen_fd = -1;
    std::uint16_t port = 0;
    int wake[2] = {-1, -1};
    std::thread thread;

    bool listen_on(std::uint16_t p) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return false;
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(p);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) {
            ::close(fd);
            return false;
        }
        socklen_t len = sizeof a;
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        listen_fd = fd;
        return true;
    }

    std::uint8_t reply(std::uint8_t n) const {  // mu held
        std::uint8_t b = 0x12;
        switch (n) {
            case 1: if (offline || paper_out || cover_open || error) b |= 0x08; break;
            case 2:
                if (cover_open) b |= 0x04;
                if (paper_out) b |= 0x20;
                if (error) b |= 0x40;
                break;
            case 3: if (error) b |= 0x08; break;
            case 4:
                if (near_end) b |= 0x0C;
                if (paper_out) b |= 0x60;
                break;
            default: break;
        }
        return b;
    }

    void drop(Client& c, bool reset) {  // mu held
        if (reset) {
            linger l{1, 0};
            setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            conns[c.index].reset = true;
        }
        ::close(c.fd);
        c.fd = -1;
        conns[c.index].open = false;
    }

    void serve(Client& c) {
        std::uint8_t buf[4096];
        const ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
        std::lock_guard lock(mu);
        if (r == 0) {
            conns[c.index].eof = true;
            drop(c, false);
            return;
        }
        if (r < 0) {
            if (errno != EAGAIN && errno != EINTR) drop(c, false);
            return;
        }
        auto& rec = conns[c.index];
        for (ssize_t i = 0; i < r; ++i) {
            const std::uint8_t b = buf[i];
            rec.bytes.push_back(b);
            if (c.scan == 2) {
                c.scan = 0;
                ++rec.status_requests;
                if (answers) {
                    std::vector<std::uint8_t> out;
                    if (noise) out = {0x10, 0x00, 0x00, 0x00, 0x11};
                    out.push_back(reply(b));
                    (void)::send(c.fd, out.data(), out.size(), MSG_NOSIGNAL);
                }
                continue;
            }
            if (c.scan == 1 && b == 0x04) {
                c.scan = 2;
                continue;
            }
            if (b == 0x10) {
                if (c.scan == 1) ++c.payload;  // the earlier DLE was data
                c.scan = 1;
                continue;
            }
            c.payload += c.scan == 1 ? 2 : 1;
            c.scan = 0;
            if (c.reset_at && c.payload >= *c.reset_at) {
                drop(c, true);
                return;
            }
        }
    }

    void loop() {
        for (;;) {
            {
                std::lock_guard lock(mu);
                if (stop) break;
                if (want_refusing != refusing) {
                    if (want_refusing) {
                        if (listen_fd >= 0) ::close(listen_fd);
                        listen_fd = -1;
                        for (auto& c : clients)
                            if (c.fd >= 0) drop(c, false);
                    } else {
                        listen_on(port);
                    }
                    refusing = want_refusing;
                    cv.notify_all();
                }
            }
            clients.erase(std::remove_if(clients.begin(), clients.end(), [](const Client& c) { return c.fd < 0; }),
                          clients.end());
            std::vector<pollfd> fds;
            fds.push_back({wake[0], POLLIN, 0});
            fds.push_back({listen_fd, POLLIN, 0});
            for (const auto& c : clients) fds.push_back({c.fd, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
            if ((fds[0].revents & POLLIN) != 0) {
                char sink[64];
                (void)::read(wake[0], sink, sizeof sink);
            }
            if (listen_fd >= 0 && (fds[1].revents & POLLIN) != 0) {
                const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd >= 0) {
                    std::lock_guard lock(mu);
                    Client c{fd, conns.size(), 0, 0, std::exchange(pending_reset, std::nullopt)};
                    conns.emplace_back();
                    clients.push_back(c);
                }
            }
            for (std::size_t i = 0; i + 2 < fds.size() && i < clients.size(); ++i)
                if ((fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && clients[i].fd >= 0) serve(clients[i]);
        }
        std::lock_guard lock(mu);
        for (auto& c : clients)
            if (c.fd >= 0) drop(c, false);
        if (listen_fd >= 0) ::close(listen_fd);
        listen_fd = -1;
    }

    void poke() { (void)::write(wake[1], "x", 1); }
};

FakeNetworkPrinter::FakeNetworkPrinter() : impl_(std::make_unique<Impl>()) {
    REQUIRE(::pipe2(impl_->wake, O_CLOEXEC | O_NONBLOCK) == 0);
    REQUIRE_MESSAGE(impl_->listen_on(0), "the fake printer cannot listen on 127.0.0.1");
    impl_->thread = std::thread([this] { impl_->loop(); });
}

FakeNetworkPrinter::~FakeNetworkPrinter() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->stop = true;
    }
    impl_->poke();
    impl_->thread.join();
    ::close(impl_->wake[0]);
    ::close(impl_->wake[1]);
}

std::uint16_t FakeNetworkPrinter::port() const {
    std::lock_guard lock(impl_->mu);
    return impl_->port;
}
std::string FakeNetworkPrinter::address() const { return "127.0.0.1:" + std::to_string(port()); }

#define FAKE_SETTER(name, field)                 \
    void FakeNetworkPrinter::name(bool on) {     \
        std::lock_guard lock(impl_->mu);         \
        impl_->field = on;                       \
    }
FAKE_SETTER(set_paper_out, paper_out)
FAKE_SETTER(set_paper_near_end, near_end)
FAKE_SETTER(set_cover_open, cover_open)
FAKE_SETTER(set_offline, offline)
FAKE_SETTER(set_error, error)
FAKE_SETTER(set_answers_status, answers)
FAKE_SETTER(set_noise, noise)
#undef FAKE_SETTER

void FakeNetworkPrinter::reset_next_after(std::size_t bytes) {
    std::lock_guard lock(impl_->mu);
    impl_->pending_reset = bytes;
}

void FakeNetworkPrinter::set_refusing(bool on) {
    std::unique_lock lock(impl_->mu);
    impl_->want_refusing = on;
    impl_->poke();
    const bool done = impl_->cv.wait_for(lock, 5s, [&] { return impl_->refusing == on; });
    lock.unlock();
    REQUIRE_MESSAGE(done, "the fake printer did not switch its listening socket");
    if (!on) REQUIRE_MESSAGE(impl_->listen_fd >= 0, "the fake printer could not listen on its port again");
}

std::vector<FakeNetworkPrinter::Connection> FakeNetworkPrinter::connections() const {
    std::lock_guard lock(impl_->mu);
    return impl_->conns;
}

std::size_t FakeNetworkPrinter::connection_count() const {
    std::lock_guard lock(impl_->mu);
    return impl_->conns.size();
}

std::size_t FakeNetworkPrinter::status_requests() const {
    std::lock_guard lock(impl_->mu);
    std::size_t n = 0;
    for (const auto& c : impl_->conns) n += c.status_requests;
    return n;
}

std::size_t FakeNetworkPrinter::count(std::span<const std::uint8_t> needle) const {
    if (needle.empty()) return 0;
    std::lock_guard lock(impl_->mu);
    std::size_t n = 0;
    for (const auto& c : impl_->conns) {
        auto it = c.bytes.begin();
        while ((it = std::search(it, c.bytes.end(), needle.begin(), needle.end())) != c.bytes.end()) {
            ++n;
            it += static_cast<std::ptrdiff_t>(needle.size());
        }
    }
    return n;
}

std::size_t FakeNetworkPrinter::count(std::string_view utf8) const { return count(gb18030(utf8)); }

std::vector<std::vector<std::uint8_t>> FakeNetworkPrinter::jobs() const {
    std::vector<std::vector<std::uint8_t>> out;
    for (const auto& c : connections()) {
        std::vector<std::uint8_t> job;
        for (std::size_t i = 0; i < c.bytes.size(); ++i) {
            if (i + 2 < c.bytes.size() && c.bytes[i] == 0x10 && c.bytes[i + 1] == 0x04 && c.bytes[i + 2] >= 1 &&
                c.bytes[i + 2] <= 4) {
                i += 2;
                continue;
            }
            job.push_back(c.bytes[i]);
        }
        out.push_back(std::move(job));
    }
    return out;
}

bool FakeNetworkPrinter::wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

void FakeNetworkPrinter::clear() {
    std::lock_guard lock(impl_->mu);
    for (auto& c : impl_->conns) {
        c.bytes.clear();
        c.status_requests = 0;
    }
}

std::vector<std::uint8_t> gb18030(std::string_view utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string in(utf8);
    std::vector<char> out(in.size() * 4 + 8);
    char* ip = in.data();
    char* op = out.data();
    std::size_t il = in.size(), ol = out.size();
    const auto rc = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    REQUIRE(rc != static_cast<std::size_t>(-1));
    return {out.data(), op};
}

}  // namespace escpos_test
