#pragma once
// A real pcscd with the vpcd virtual reader driver, private to this test
// process, and a virtual contactless card that speaks vpcd's protocol.
//
// Private daemon: pcscd 1.9.9 always listens on /run/pcscd/pcscd.comm (it
// ignores PCSCLITE_CSOCK_NAME; only the client library reads it). So the
// daemon runs in its own mount namespace where a private directory is
// bind-mounted on /run/pcscd: its socket appears in that directory, and this
// process's client library is pointed there with PCSCLITE_CSOCK_NAME. Its
// reader.conf.d is private too (-c), with a vpcd entry on a free TCP port
// pair (vpcd opens one port per slot: P for "Virtual PCD 00 00", P+1 for
// "Virtual PCD 00 01"). This needs root (unshare + mount), as this machine
// and CI have; without it the daemon tests report themselves skipped.
//
// Virtual card (vpcd protocol): vpcd listens, the card connects to
// 127.0.0.1:port. Every message is a 2-byte big-endian length and a payload;
// a 1-byte payload is a command (0 power off, 1 power on, 2 reset, 4 get ATR:
// answered with the ATR), anything longer is an APDU, answered with the
// response APDU. Connecting is placing the card; closing is taking it away.
// pcscd notices either at its next presence poll (every 400 ms).
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <winscard.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace pcsc_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline constexpr const char* kPcscd = "/usr/sbin/pcscd";
inline constexpr const char* kVpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";

// This process's directory: pcscd's socket, pid file, log and config. The
// client library caches the socket name on first use, so it is one directory
// for the whole process, set before any SCard call.
struct RunDir {
    fs::path path;
    RunDir() {
        path = fs::temp_directory_path() / ("kiosk-pcsc-" + std::to_string(::getpid()));
        fs::create_directories(path / "conf");
        ::setenv("PCSCLITE_CSOCK_NAME", (path / "pcscd.comm").c_str(), 1);
    }
    ~RunDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};
inline const fs::path& run_dir() {
    static RunDir dir;
    return dir.path;
}

// Why the daemon tests cannot run here, or "" when they can.
inline std::string cannot_run() {
    if (::geteuid() != 0) return "a private pcscd needs root (mount namespace); run the tests as root, as CI does";
    return "";
}

// Two consecutive free TCP ports (P, P+1), for vpcd's two slots.
inline int free_port_pair() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        const int a = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (::bind(a, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(a);
            continue;
        }
        socklen_t len = sizeof addr;
        ::getsockname(a, reinterpret_cast<sockaddr*>(&addr), &len);
        const int port = ntohs(addr.sin_port);
        if (port >= 65535) {
            ::close(a);
            continue;
        }
        const int b = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in next{};
        next.sin_family = AF_INET;
        next.sin_addr.s_addr = htonl(INADDR_ANY);
        next.sin_port = htons(static_cast<std::uint16_t>(port + 1));
        const bool ok = ::bind(b, reinterpret_cast<sockaddr*>(&next), sizeof next) == 0;
        ::close(b);
        ::close(a);
        if (ok) return port;
    }
    return -1;
}

class PcscDaemon {
public:
    // `with_reader`: start with the vpcd reader configured (otherwise with
    // none, until add_reader()).
    explicit PcscDaemon(bool with_reader = true) : dir_(run_dir()), port_(free_port_pair()) {
        REQUIRE_MESSAGE(port_ > 0, "no free TCP port pair for vpcd");
        std::error_code ec;
        fs::remove(dir_ / "conf" / "vpcd", ec);
        if (with_reader) write_reader_conf();
    }
    ~PcscDaemon() { stop(); }
    PcscDaemon(const PcscDaemon&) = delete;
    PcscDaemon& operator=(const PcscDaemon&) = delete;

    [[nodiscard]] int port() const { return port_; }  // slot 0; slot 1 is port() + 1

    // Starts pcscd and waits (bounded) until clients can connect and, when a
    // reader is configured, until it is listed.
    bool start() {
        REQUIRE(pid_ < 0);
        std::error_code ec;
        fs::remove(dir_ / "pcscd.comm", ec);
        fs::remove(dir_ / "pcscd.pid", ec);
        // Everything the child needs, prepared before fork (the child of a
        // threaded process may only make system calls).
        const std::string dir = dir_.string();
        const std::string conf = (dir_ / "conf").string();
        const std::string log = (dir_ / "pcscd.log").string();
        const pid_t pid = ::fork();
        if (pid < 0) return false;
        if (pid == 0) {
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (out >= 0) {
                ::dup2(out, 1);
                ::dup2(out, 2);
            }
            if (::unshare(CLONE_NEWNS) != 0) ::_exit(120);
            if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(121);
            if (::mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") != 0) ::_exit(122);
            ::mkdir("/run/pcscd", 0755);
            if (::mount(dir.c_str(), "/run/pcscd", nullptr, MS_BIND, nullptr) != 0) ::_exit(123);
            ::execl(kPcscd, "pcscd", "--foreground", "--debug", "-c", conf.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        pid_ = pid;
        const bool want_reader = fs::exists(dir_ / "conf" / "vpcd");
        const auto until = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < until) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return false;
            }
            SCARDCONTEXT ctx = 0;
            if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) == SCARD_S_SUCCESS) {
                DWORD len = 0;
                const LONG rv = SCardListReaders(ctx, nullptr, nullptr, &len);
                SCardReleaseContext(ctx);
                if (!want_reader || rv == SCARD_S_SUCCESS) return true;
            }
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    // SIGTERM, then SIGKILL if it lingers; bounded.
    void stop() {
        if (pid_ < 0) return;
        ::kill(pid_, SIGTERM);
        const auto until = std::chrono::steady_clock::now() + 5s;
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > until) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(10ms);
        }
        pid_ = -1;
    }

    [[nodiscard]] std::string log_tail() const {
        std::ifstream in(dir_ / "pcscd.log");
        std::stringstream ss;
        ss << in.rdbuf();
        const auto all = ss.str();
        return all.size() > 3000 ? all.substr(all.size() - 3000) : all;
    }

private:
    void write_reader_conf() {
        std::ofstream out(dir_ / "conf" / "vpcd");
        out << "FRIENDLYNAME \"Virtual PCD\"\n"
            << "DEVICENAME   /dev/null:" << port_ << "\n"
            << "LIBPATH      " << kVpcdDriver << "\n"
            << "CHANNELID    " << port_ << "\n";
    }

    fs::path dir_;
    int port_ = -1;
    pid_t pid_ = -1;
};

// A contactless card on vpcd's wire.
class VirtualCard {
public:
    struct Script {
        std::vector<std::uint8_t> uid;        // answered to FF CA 00 00 00
        std::uint8_t sw1 = 0x90, sw2 = 0x00;  // 63 00 / 6A 81 to fail; the UID goes only with 90 00
    };

    // Places the card on the reader at `port` (bounded: vpcd accepts at its
    // presence polls).
    VirtualCard(int port, Script script) : script_(std::move(script)) {
        const auto until = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < until) {
            fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            addr.sin_port = htons(static_cast<std::uint16_t>(port));
            if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
            ::close(fd_);
            fd_ = -1;
            std::this_thread::sleep_for(20ms);
        }
        REQUIRE_MESSAGE(fd_ >= 0, "could not reach vpcd on port " << port);
        thread_ = std::thread([this] { serve(); });
    }
    ~VirtualCard() { remove(); }
    VirtualCard(const VirtualCard&) = delete;
    VirtualCard& operator=(const VirtualCard&) = delete;

    // Takes the card away.
    void remove() {
        if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
        if (thread_.joinable()) thread_.join();
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    [[nodiscard]] int get_data_count() const { return get_data_; }
    [[nodiscard]] bool powered() const { return powered_; }

    // PC/SC part 3 ATR of a Mifare Classic 1K behind a contactless reader.
    static std::vector<std::uint8_t> atr() {
        return {0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00,
                0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6A};
    }

private:
    bool recv_all(void* p, std::size_t n) {
        auto* b = static_cast<std::uint8_t*>(p);
        while (n > 0) {
            const ssize_t r = ::recv(fd_, b, n, 0);
            if (r <= 0) return false;
            b += r;
            n -= static_cast<std::size_t>(r);
        }
        return true;
    }
    bool send_msg(const std::vector<std::uint8_t>& payload) {
        std::vector<std::uint8_t> m{static_cast<std::uint8_t>(payload.size() >> 8),
                                    static_cast<std::uint8_t>(payload.size() & 0xFF)};
        m.insert(m.end(), payload.begin(), payload.end());
        return ::send(fd_, m.data(), m.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(m.size());
    }
    void serve() {
        for (;;) {
            std::uint8_t len_be[2];
            if (!recv_all(len_be, 2)) return;
            const std::size_t len = (std::size_t{len_be[0]} << 8) | len_be[1];
            std::vector<std::uint8_t> msg(len);
            if (len > 0 && !recv_all(msg.data(), len)) return;
            if (len == 1) {
                switch (msg[0]) {
                    case 0:
                        powered_ = false;
                        break;
                    case 1:
                        powered_ = true;
                        break;
                    case 2:
                        powered_ = true;
                        break;
                    case 4:
                        if (!send_msg(atr())) return;
                        break;
                    default:
                        break;
                }
                continue;
            }
            std::vector<std::uint8_t> reply;
            if (len >= 4 && msg[0] == 0xFF && msg[1] == 0xCA && msg[2] == 0x00 && msg[3] == 0x00) {
                ++get_data_;
                if (script_.sw1 == 0x90 && script_.sw2 == 0x00) reply = script_.uid;
                reply.push_back(script_.sw1);
                reply.push_back(script_.sw2);
            } else {
                reply = {0x6D, 0x00};  // instruction not supported
            }
            if (!send_msg(reply)) return;
        }
    }

    Script script_;
    int fd_ = -1;
    std::thread thread_;
    std::atomic<int> get_data_{0};
    std::atomic<bool> powered_{false};
};

}  // namespace pcsc_test
