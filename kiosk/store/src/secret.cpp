#include "kiosk/store/secret.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace kiosk::store {

namespace {

Error io_error(const std::filesystem::path& file, std::string_view what) {
    return Error{"secret.io", std::string(what) + " " + file.string() + ": " + std::strerror(errno)};
}

Result<SecretKey> read_key(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(file, "cannot read the secret key");
    struct stat st {};
    if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) ::fchmod(fd, 0600);
    SecretKey key{};
    const ssize_t n = ::read(fd, key.data(), key.size());
    char extra = 0;
    const ssize_t more = ::read(fd, &extra, 1);
    ::close(fd);
    if (n != static_cast<ssize_t>(key.size()) || more != 0)
        return Error{"secret.corrupt", "the secret key " + file.string() +
                                           " is damaged (it must hold exactly 32 bytes). Restore it from the "
                                           "backup; without it residents' ID cards are not recognised."};
    return key;
}

Result<SecretKey> create_key(const std::filesystem::path& file) {
    SecretKey key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
        return Error{"secret.io", "the system could not provide random bytes for a new secret key"};
    // Write beside the final name and rename, so a power cut never leaves a
    // half-written key under the real name.
    const auto tmp = std::filesystem::path(file.string() + ".new");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return io_error(tmp, "cannot create the secret key");
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(tmp.c_str(), file.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return io_error(file, "cannot write the secret key");
    }
    if (const int dfd = ::open(file.parent_path().empty() ? "." : file.parent_path().c_str(),
                               O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return key;
}

}  // namespace

Result<SecretKey> load_or_create_secret(const std::filesystem::path& file) {
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) return read_key(file);
    if (!file.parent_path().empty() && !std::filesystem::exists(file.parent_path(), ec)) {
        std::filesystem::create_directories(file.parent_path(), ec);
        ::chmod(file.parent_path().c_str(), 0700);
    }
    return create_key(file);
}

IdHash IdHasher::hash(std::string_view id_number) const {
    std::string normalized(id_number);
    if (!normalized.empty() && normalized.back() == 'x') normalized.back() = 'X';
    IdHash out{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
         reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size(), out.data(), &len);
    return out;
}

}  // namespace kiosk::store
