// A private CUPS server for tests (see cups_fixture.hpp).
#include "cups_fixture.hpp"

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace kiosk_test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using drivers::DriverError;
using drivers::Expected;

// A PPD for a PDF printer: CUPS turns any PDF it gets into the printer's PDF
// with pdftopdf (cups-filters) and hands it to the device, here a file.
constexpr const char* kPdfPpd = R"PPD(*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "KIOSKPDF.PPD"
*Manufacturer: "Kiosk"
*Product: "(Kiosk test PDF printer)"
*ModelName: "Kiosk test PDF printer"
*ShortNickName: "Kiosk test PDF printer"
*NickName: "Kiosk test PDF printer"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: True
*DefaultColorSpace: RGB
*FileSystem: False
*Throughput: "1"
*LandscapeOrientation: Plus90
*TTRasterizer: Type42
*cupsVersion: 2.4
*cupsFilter2: "application/vnd.cups-pdf application/pdf 0 -"
*OpenUI *PageSize/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595.28 841.89]/ImagingBBox null>>setpagedevice"
*CloseUI: *PageSize
*OpenUI *PageRegion/Media Size: PickOne
*OrderDependency: 10 AnySetup *PageRegion
*DefaultPageRegion: A4
*PageRegion A4/A4: "<</PageSize[595.28 841.89]/ImagingBBox null>>setpagedevice"
*CloseUI: *PageRegion
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595.28 841.89"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595.28 841.89"
)PPD";

DriverError fail(std::string message) { return DriverError{"test.cups", std::move(message)}; }

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
    return static_cast<bool>(f);
}

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

bool socket_answers(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// argv as the char* array execvp wants, built before fork (the child may
// only make async-signal-safe calls).
struct Argv {
    std::vector<std::string> strings;
    std::vector<char*> ptrs;
    explicit Argv(std::vector<std::string> s) : strings(std::move(s)) {
        for (auto& a : strings) ptrs.push_back(a.data());
        ptrs.push_back(nullptr);
    }
};

void child_setup(int out_fd) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(out_fd, 1);
    ::dup2(out_fd, 2);
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    CommandResult r;
    if (argv.empty()) return r;
    Argv args(argv);
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0) return r;
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(pipefd[0]);
        ::close(pipefd[1]);
        return r;
    }
    if (pid == 0) {
        child_setup(pipefd[1]);
        ::execvp(args.ptrs[0], args.ptrs.data());
        static const char msg[] = "exec failed\n";
        (void)!::write(2, msg, sizeof msg - 1);
        ::_exit(127);
    }
    ::close(pipefd[1]);
    const auto deadline = Clock::now() + timeout;
    char buf[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left <= 0ms) {
            r.timed_out = true;
            break;
        }
        pollfd p{pipefd[0], POLLIN, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) continue;
        const ssize_t got = ::read(pipefd[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        r.output.append(buf, static_cast<std::size_t>(got));
    }
    ::close(pipefd[0]);
    if (r.timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.exit_code = (!r.timed_out && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
    return r;
}

Expected<std::unique_ptr<PrivateCups>> PrivateCups::start(const Options& options) {
    if (::access(options.cupsd.c_str(), X_OK) != 0)
        return fail(options.cupsd + " is missing: install the Debian packages cups and cups-filters");

    std::unique_ptr<PrivateCups> c(new PrivateCups());
    // Domain socket paths are limited to 107 bytes: stay in /tmp, not $TMPDIR.
    std::string templ = "/tmp/kiosk-cups-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) return fail(std::string("mkdtemp: ") + std::strerror(errno));
    c->dir_ = templ;
    ::chmod(c->dir_.c_str(), 0755);  // as root, cupsd's filters run as "lp" and must reach the spool
    const std::string& d = c->dir_;
    for (const char* sub : {"/etc", "/etc/ppd", "/spool", "/cache", "/state", "/tmp", "/log", "/out"}) {
        if (::mkdir((d + sub).c_str(), 0755) != 0) return fail("mkdir " + d + sub + ": " + std::strerror(errno));
    }
    c->socket_ = d + "/cups.sock";
    c->port_ = free_loopback_port();
    if (c->port_ == 0) return fail("no free loopback port");

    std::ostringstream conf;
    conf << "# Private cupsd for tests: loopback only, nothing shared or advertised.\n"
         << "Listen 127.0.0.1:" << c->port_ << "\n"
         << "Listen " << c->socket_ << "\n"
         << "Browsing No\n"
         << "BrowseLocalProtocols none\n"
         << "DefaultShared No\n"
         << "WebInterface No\n"
         << "LogLevel " << options.log_level << "\n"
         << "MaxLogSize 0\n"
         << "PreserveJobHistory Yes\n"
         << "<Policy default>\n"
         << "  <Limit All>\n"
         << "    Order deny,allow\n"
         << "  </Limit>\n"
         << "</Policy>\n";
    std::ostringstream files;
    files << "ServerRoot " << d << "/etc\n"
          << "RequestRoot " << d << "/spool\n"
          << "CacheDir " << d << "/cache\n"
          << "StateDir " << d << "/state\n"
          << "TempDir " << d << "/tmp\n"
          << "AccessLog " << d << "/log/access_log\n"
          << "ErrorLog " << d << "/log/error_log\n"
          << "PageLog " << d << "/log/page_log\n"
          << "Printcap " << d << "/state/printcap\n"
          << "FileDevice Yes\n";
    if (::geteuid() != 0) {
        // cupsd as an ordinary user runs everything as that user.
        const passwd* pw = ::getpwuid(::geteuid());
        const group* gr = ::getgrgid(::getegid());
        if (pw != nullptr && gr != nullptr)
            files << "User " << pw->pw_name << "\nGroup " << gr->gr_name << "\nSystemGroup " << gr->gr_name << "\n";
    }
    if (!write_file(d + "/etc/cupsd.conf", conf.str()) || !write_file(d + "/etc/cups-files.conf", files.str()) ||
        !write_file(d + "/kiosk-pdf.ppd", kPdfPpd))
        return fail("cannot write the cupsd configuration in " + d);

    Argv args({options.cupsd, "-f", "-c", d + "/etc/cupsd.conf", "-s", d + "/etc/cups-files.conf"});
    const int out = ::open((d + "/log/cupsd.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) return fail("cannot create " + d + "/log/cupsd.out");
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(out);
        return fail(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        // Die with the test: no private cupsd outlives a crashed test process.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        child_setup(out);
        ::execv(args.ptrs[0], args.ptrs.data());
        ::_exit(127);
    }
    ::close(out);
    c->pid_ = pid;

    // Ready when the socket takes connections and lpstat sees a scheduler.
    const auto deadline = Clock::now() + options.start_timeout;
    for (;;) {
        if (!c->running()) {
            std::ifstream f(d + "/log/cupsd.out");
            std::stringstream ss;
            ss << f.rdbuf();
            return fail("cupsd exited at start: " + ss.str() + c->log_tail(2000));
        }
        if (socket_answers(c->socket_)) {
            auto r = run_command({"lpstat", "-h", c->socket_, "-r"}, 5s);
            if (r.exit_code == 0 && r.output.find("not running") == std::string::npos) break;
        }
        if (Clock::now() > deadline) return fail("cupsd did not answer within the start timeout\n" + c->log_tail(2000));
        std::this_thread::sleep_for(50ms);
    }
    return c;
}

PrivateCups::~PrivateCups() {
    stop();
    if (!dir_.empty() && std::getenv("KIOSK_KEEP_CUPS") == nullptr) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

void PrivateCups::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGCONT);  // in case a test froze it
    ::kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + 5s;
    int status = 0;
    while (Clock::now() < deadline) {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_ || (r < 0 && errno != EINTR)) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(20ms);
    }
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
}

bool PrivateCups::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        pid_ = -1;
        return false;
    }
    return r == 0;
}

void PrivateCups::kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
}

void PrivateCups::freeze() {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void PrivateCups::thaw() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
}

Expected<void> PrivateCups::tool(const std::vector<std::string>& argv) {
    auto r = run_command(argv, 30s);
    if (r.exit_code != 0) {
        std::string cmd;
        for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
        return fail(cmd + (r.timed_out ? " timed out" : " failed: " + r.output));
    }
    return {};
}

std::string PrivateCups::output_path(const std::string& name) const { return dir_ + "/out/" + name + ".pdf"; }

Expected<void> PrivateCups::add_pdf_printer(const std::string& name) {
    // Since Debian's CUPS 2.4.2-3+deb12u10 the scheduler opens a file: device
    // without O_CREAT (a security fix), so the output file has to exist.
    const std::string out = output_path(name);
    if (!write_file(out, "")) return fail("cannot create " + out);
    // lpadmin warns that PPD drivers are deprecated: it still works in CUPS 2.4.
    return tool({"lpadmin", "-h", socket_, "-p", name, "-v", "file://" + out, "-P",
                 dir_ + "/kiosk-pdf.ppd", "-o", "printer-error-policy=abort-job", "-E"});
}

Expected<void> PrivateCups::disable(const std::string& name, const std::string& reason) {
    return tool({"cupsdisable", "-h", socket_, "-r", reason, name});
}

Expected<void> PrivateCups::enable(const std::string& name) { return tool({"cupsenable", "-h", socket_, name}); }

Expected<void> PrivateCups::reject(const std::string& name) { return tool({"cupsreject", "-h", socket_, name}); }

std::string PrivateCups::log_tail(std::size_t max_bytes) const {
    std::ifstream f(dir_ + "/log/error_log", std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string s = ss.str();
    if (s.size() > max_bytes) s = "..." + s.substr(s.size() - max_bytes);
    return "\n--- cupsd error_log (" + dir_ + ") ---\n" + s;
}

}  // namespace kiosk_test
