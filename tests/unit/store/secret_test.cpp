#include "kiosk/store/secret.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "temp_dir.hpp"

using namespace kiosk;
using kiosk::test::TempDir;

namespace {
std::string key_bytes(const store::SecretKey& k) { return {k.begin(), k.end()}; }

std::string hex(const store::IdHash& h) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const auto b : h) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0F]);
    }
    return out;
}
}  // namespace

TEST_CASE("secret: created on first start with 32 random bytes and mode 0600") {
    TempDir tmp;
    const auto file = tmp / "keys" / "secret.key";  // the directory is created too
    auto key = store::load_or_create_secret(file);
    REQUIRE_MESSAGE(key.ok(), key.error().message);

    const std::string on_disk = test::read_bytes(file);
    CHECK(on_disk.size() == 32);
    CHECK(on_disk == key_bytes(*key));
    CHECK(test::file_mode(file) == 0600);
    CHECK(test::file_mode(tmp / "keys") == 0700);
    CHECK_FALSE(std::filesystem::exists(file.string() + ".new"));  // no temporary left behind
    // Not all zeros, and not one repeated byte: the bytes are random.
    CHECK(std::set<std::uint8_t>(key->begin(), key->end()).size() > 8);
}

TEST_CASE("secret: the second load returns the same key and another file gets another key") {
    TempDir tmp;
    auto first = store::load_or_create_secret(tmp / "secret.key");
    REQUIRE(first.ok());
    auto second = store::load_or_create_secret(tmp / "secret.key");
    REQUIRE(second.ok());
    CHECK(*first == *second);

    auto other = store::load_or_create_secret(tmp / "other.key");
    REQUIRE(other.ok());
    CHECK(*other != *first);
}

TEST_CASE("secret: an existing key is read as it is and a world-readable one is tightened to 0600") {
    TempDir tmp;
    const auto file = tmp / "secret.key";
    std::string bytes;
    for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<char>(0xA0 + i));
    test::write_bytes(file, bytes);
    REQUIRE(::chmod(file.c_str(), 0644) == 0);
    REQUIRE(test::file_mode(file) == 0644);

    auto key = store::load_or_create_secret(file);
    REQUIRE_MESSAGE(key.ok(), key.error().message);
    CHECK(key_bytes(*key) == bytes);
    CHECK(test::file_mode(file) == 0600);
    CHECK(test::read_bytes(file) == bytes);  // tightened, not rewritten
}

TEST_CASE("secret: a key file of the wrong size is secret.corrupt and is not replaced") {
    TempDir tmp;
    const auto file = tmp / "secret.key";
    for (const std::size_t size : {std::size_t{0}, std::size_t{31}, std::size_t{33}, std::size_t{64}}) {
        CAPTURE(size);
        const std::string bytes(size, '\x5a');
        test::write_bytes(file, bytes);
        auto key = store::load_or_create_secret(file);
        REQUIRE_FALSE(key.ok());
        CHECK(key.error().code == "secret.corrupt");
        CHECK(test::read_bytes(file) == bytes);
    }
}

TEST_CASE("secret: a key that cannot be created is secret.io") {
    TempDir tmp;
    const auto plain = tmp / "plain-file";
    test::write_bytes(plain, "x");
    auto key = store::load_or_create_secret(plain / "secret.key");
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == "secret.io");
}

TEST_CASE("id hasher: keyed HMAC of the normalised number") {
    const store::IdHasher a(test::test_key(1));
    const store::IdHasher b(test::test_key(2));
    const std::string number = "130730194603080024";

    SUBCASE("it is HMAC-SHA256 of the number under the key (known answers from Python hmac)") {
        // test_key(1) = bytes (1 + 7 i) mod 256, i = 0..31
        CHECK(hex(a.hash(number)) == "109edf543593e04928e9662024aa1b9aaf8891bd3d270051c9a6ade810f9f065");
        CHECK(hex(a.hash("11010819491231002x")) == "55ff13b4e6865dbd35c6422cbd4340f5e319268475c1935bcf5c71a8ab0db509");
    }
    SUBCASE("the same number gives the same hash") { CHECK(a.hash(number) == a.hash(number)); }
    SUBCASE("another hasher with the same key agrees") {
        const store::IdHasher a2(test::test_key(1));
        CHECK(a2.hash(number) == a.hash(number));
    }
    SUBCASE("different numbers give different hashes") {
        CHECK(a.hash(number) != a.hash("130730194111020017"));
        CHECK(a.hash(number) != a.hash("130730194603080025"));
    }
    SUBCASE("a lower-case x check character equals the upper-case X") {
        CHECK(a.hash("11010819491231002x") == a.hash("11010819491231002X"));
        CHECK(a.hash("11010819491231002X") != a.hash("110108194912310020"));
    }
    SUBCASE("different keys give different hashes") { CHECK(a.hash(number) != b.hash(number)); }
    SUBCASE("the hash is not the number and does not contain it") {
        const auto h = a.hash(number);
        const std::string hs(h.begin(), h.end());
        CHECK(hs.size() == 32);
        CHECK(hs.find("0024") == std::string::npos);
        CHECK(hs.find("130730") == std::string::npos);
        CHECK(std::any_of(h.begin(), h.end(), [](std::uint8_t c) { return c != 0; }));
    }
}
