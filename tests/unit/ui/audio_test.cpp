// Cues, espeak-ng speech and the Audio worker (on SDL's dummy driver).
#include "kiosk/ui/audio.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace kiosk::ui;
using namespace std::chrono_literals;

namespace {

constexpr int kRate = 22050;
constexpr const char* kGreeting = "张桂兰 奶奶，您好";
constexpr const char* kNotice = "张桂兰 奶奶，您好。今天的午餐是红烧肉和青菜，请到二号窗口取餐。";

int peak_of(const std::vector<std::int16_t>& pcm, std::size_t from = 0, std::size_t to = SIZE_MAX) {
    int peak = 0;
    for (std::size_t i = from; i < std::min(to, pcm.size()); ++i) peak = std::max(peak, std::abs(int{pcm[i]}));
    return peak;
}

int zero_crossings(const std::vector<std::int16_t>& pcm, std::size_t from, std::size_t to) {
    int n = 0;
    for (std::size_t i = from + 1; i < to; ++i) n += (pcm[i - 1] < 0) != (pcm[i] < 0);
    return n;
}

double seconds(const std::vector<std::int16_t>& pcm, int rate) { return static_cast<double>(pcm.size()) / rate; }

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::string repeated(const std::string& s, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += s;
    return out;
}

void use_dummy_audio() { ::setenv("SDL_AUDIODRIVER", "dummy", 1); }

}  // namespace

TEST_CASE("audio: each cue has its length at any sample rate") {
    for (int rate : {16000, 22050, 48000}) {
        CHECK(synth_cue(Cue::CardOk, rate, 80).size() == static_cast<std::size_t>(std::lround(0.25 * rate)));
        CHECK(synth_cue(Cue::CardFailed, rate, 80).size() == static_cast<std::size_t>(std::lround(0.35 * rate)));
        CHECK(synth_cue(Cue::Tap, rate, 80).size() == static_cast<std::size_t>(std::lround(0.03 * rate)));
        CHECK(synth_cue(Cue::Attention, rate, 80).size() == static_cast<std::size_t>(std::lround(0.40 * rate)));
    }
    CHECK(synth_cue(Cue::CardOk, 0, 80).empty());
    CHECK(synth_cue(Cue::CardOk, -1, 80).empty());
}

TEST_CASE("audio: cue loudness follows volume and never clips") {
    for (Cue c : {Cue::CardOk, Cue::CardFailed, Cue::Tap, Cue::Attention}) {
        CAPTURE(cue_name(c));
        const auto full = synth_cue(c, kRate, 100);
        const auto half = synth_cue(c, kRate, 50);
        const int p100 = peak_of(full);
        CHECK(p100 > 5000);              // audible
        CHECK(p100 <= 0.5 * 32767 + 1);  // headroom left for a cue over speech
        CHECK(std::abs(peak_of(half) - p100 / 2) <= 1);
        CHECK(peak_of(synth_cue(c, kRate, 150)) == p100);  // clamped to 100
        const auto silent = synth_cue(c, kRate, 0);
        CHECK(silent.size() == full.size());
        CHECK(peak_of(silent) == 0);
        CHECK(peak_of(synth_cue(c, kRate, -5)) == 0);
    }
    CHECK(peak_of(synth_cue(Cue::Tap, kRate, 100)) < peak_of(synth_cue(Cue::CardOk, kRate, 100)));  // soft
}

TEST_CASE("audio: cues fade in and out") {
    for (Cue c : {Cue::CardOk, Cue::CardFailed, Cue::Tap, Cue::Attention}) {
        CAPTURE(cue_name(c));
        const auto pcm = synth_cue(c, kRate, 100);
        const int peak = peak_of(pcm);
        CHECK(std::abs(pcm.front()) <= peak / 100);
        CHECK(std::abs(pcm.back()) <= peak / 100);
        CHECK(peak_of(pcm, 0, 4) < peak / 4);
        CHECK(peak_of(pcm, pcm.size() - 4) < peak / 4);
    }
}

TEST_CASE("audio: the card chimes rise on success and fall on failure") {
    // A sine's pitch is proportional to its zero crossings.
    const auto ok = synth_cue(Cue::CardOk, kRate, 100);
    const auto failed = synth_cue(Cue::CardFailed, kRate, 100);
    const std::size_t w = kRate / 20;  // 50 ms windows, clear of the note overlap
    CHECK(zero_crossings(ok, ok.size() - 3 * w, ok.size() - w) > zero_crossings(ok, w / 4, w / 4 + 2 * w));
    CHECK(zero_crossings(failed, failed.size() - 3 * w, failed.size() - w) <
          zero_crossings(failed, w / 4, w / 4 + 2 * w));
}

TEST_CASE("audio: espeak-ng speaks Mandarin and English") {
    auto created = SpeechSynth::create(150);
    REQUIRE_MESSAGE(created.ok(), created.error().message);
    SpeechSynth& synth = **created;
    CHECK(synth.sample_rate() == kRate);

    const auto zh = synth.synthesize(kGreeting, SpeechLanguage::Chinese);
    CHECK(seconds(zh, synth.sample_rate()) > 0.5);
    CHECK(seconds(zh, synth.sample_rate()) < 5.0);
    CHECK(peak_of(zh) > 3000);

    const auto en = synth.synthesize("Hello", SpeechLanguage::English);
    CHECK(seconds(en, synth.sample_rate()) > 0.3);
    CHECK(seconds(en, synth.sample_rate()) < 5.0);
    CHECK(peak_of(en) > 3000);

    // Back to Chinese: the voice switch must take effect each time.
    const auto zh_again = synth.synthesize(kGreeting, SpeechLanguage::Chinese);
    CHECK(seconds(zh_again, synth.sample_rate()) > 0.5);

    CHECK(synth.synthesize("", SpeechLanguage::Chinese).size() < static_cast<std::size_t>(kRate / 10));
}

TEST_CASE("audio: a slower rate speaks longer") {
    auto created = SpeechSynth::create(150);
    REQUIRE(created.ok());
    SpeechSynth& synth = **created;
    synth.set_rate(100);
    const double slow = seconds(synth.synthesize(kNotice, SpeechLanguage::Chinese), kRate);
    synth.set_rate(250);
    const double fast = seconds(synth.synthesize(kNotice, SpeechLanguage::Chinese), kRate);
    CHECK(slow > fast * 1.5);
    synth.set_rate(10);
    CHECK(synth.rate() == 80);
    synth.set_rate(1000);
    CHECK(synth.rate() == 450);
}

TEST_CASE("audio: cancelling stops synthesis early and leaves espeak-ng usable") {
    auto created = SpeechSynth::create(150);
    REQUIRE(created.ok());
    SpeechSynth& synth = **created;

    std::atomic<bool> cancel{true};
    CHECK(synth.synthesize(kGreeting, SpeechLanguage::Chinese, &cancel).empty());

    const double one = seconds(synth.synthesize(kNotice, SpeechLanguage::Chinese), kRate);
    constexpr int kRepeats = 60;  // several minutes of speech
    const std::string lecture = repeated(kNotice, kRepeats);
    cancel = false;
    std::thread canceller([&] {
        std::this_thread::sleep_for(2ms);
        cancel = true;
    });
    const auto start = std::chrono::steady_clock::now();
    const auto cut = synth.synthesize(lecture, SpeechLanguage::Chinese, &cancel);
    const auto took = std::chrono::steady_clock::now() - start;
    canceller.join();
    CHECK(seconds(cut, kRate) < one * kRepeats / 4);
    CHECK(took < 2s);

    const auto after = synth.synthesize("Hello", SpeechLanguage::English);
    CHECK(seconds(after, kRate) > 0.3);
    CHECK(seconds(after, kRate) < 5.0);
}

TEST_CASE("audio: Audio plays cues and speech on the dummy driver") {
    use_dummy_audio();
    const auto start = std::chrono::steady_clock::now();
    {
        Audio audio(AudioOptions{});
        REQUIRE(audio.device_open());
        REQUIRE(wait_for([&] { return audio.voice_available(); }, 3s));

        audio.cue(Cue::CardOk);
        audio.speak("Hello", SpeechLanguage::English);
        CHECK(audio.last_spoken() == "Hello");
        CHECK(wait_for([&] { return !audio.idle(); }, 1s));
        // Chime plus "Hello" are under a second; the dummy driver plays in real time.
        CHECK(wait_for([&] { return audio.idle(); }, 5s));

        audio.cue(Cue::Tap);
        audio.cue(Cue::Attention);
        audio.cue(Cue::CardFailed);
        CHECK(wait_for([&] { return audio.idle(); }, 3s));
    }
    CHECK(std::chrono::steady_clock::now() - start < 15s);
}

TEST_CASE("audio: the card chime plays, unchanged, before the greeting") {
    // SDL's disk driver writes exactly what would have been played to a file.
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("kiosk-audio-test-" + std::to_string(::getpid()) + ".raw");
    ::setenv("SDL_AUDIODRIVER", "disk", 1);
    ::setenv("SDL_DISKAUDIOFILE", path.c_str(), 1);
    {
        Audio audio(AudioOptions{});
        REQUIRE(audio.device_open());
        REQUIRE(wait_for([&] { return audio.voice_available(); }, 3s));
        audio.cue(Cue::CardOk);
        audio.speak("Hello", SpeechLanguage::English);
        CHECK(wait_for([&] { return !audio.idle(); }, 1s));
        CHECK(wait_for([&] { return audio.idle(); }, 5s));
    }
    use_dummy_audio();
    std::ifstream file(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    file.close();
    std::filesystem::remove(path);
    std::vector<std::int16_t> played(bytes.size() / 2);
    std::memcpy(played.data(), bytes.data(), played.size() * 2);

    const auto chime = synth_cue(Cue::CardOk, kRate, AudioOptions{}.volume);
    const auto first_sound = [](const std::vector<std::int16_t>& pcm) {
        const auto it = std::find_if(pcm.begin(), pcm.end(), [](std::int16_t s) { return s != 0; });
        return static_cast<std::size_t>(it - pcm.begin());
    };
    REQUIRE(first_sound(played) >= first_sound(chime));
    const std::size_t at = first_sound(played) - first_sound(chime);
    REQUIRE(played.size() > at + chime.size());
    CHECK(std::equal(chime.begin(), chime.end(), played.begin() + static_cast<std::ptrdiff_t>(at)));
    CHECK(seconds(played, kRate) - seconds(chime, kRate) > 0.3);  // then the greeting
    CHECK(peak_of(played, at + chime.size()) > 3000);
}

TEST_CASE("audio: a new prompt replaces the one being spoken") {
    use_dummy_audio();
    Audio audio(AudioOptions{});
    REQUIRE(audio.device_open());
    REQUIRE(wait_for([&] { return audio.voice_available(); }, 3s));

    audio.speak(repeated(kNotice, 3), SpeechLanguage::Chinese);  // about half a minute
    CHECK(wait_for([&] { return !audio.idle(); }, 1s));
    std::this_thread::sleep_for(200ms);
    audio.speak("Hello", SpeechLanguage::English);
    CHECK(audio.last_spoken() == "Hello");
    CHECK(wait_for([&] { return audio.idle(); }, 4s));  // only "Hello" was left to play
}

TEST_CASE("audio: stop and voice-off silence speech at once") {
    use_dummy_audio();
    Audio audio(AudioOptions{});
    REQUIRE(audio.device_open());
    REQUIRE(wait_for([&] { return audio.voice_available(); }, 3s));

    audio.speak(repeated(kNotice, 3), SpeechLanguage::Chinese);
    CHECK(wait_for([&] { return !audio.idle(); }, 1s));
    audio.stop();
    CHECK(wait_for([&] { return audio.idle(); }, 1s));

    audio.speak(repeated(kNotice, 3), SpeechLanguage::Chinese);
    CHECK(wait_for([&] { return !audio.idle(); }, 1s));
    AudioOptions off;
    off.voice = false;
    audio.set_options(off);
    CHECK(audio.options().voice == false);
    CHECK(wait_for([&] { return audio.idle(); }, 1s));

    // Still recorded for audits while the voice is off; nothing is played.
    audio.speak(kGreeting, SpeechLanguage::Chinese);
    CHECK(audio.last_spoken() == kGreeting);
    CHECK(wait_for([&] { return audio.idle(); }, 1s));
}

TEST_CASE("audio: volume 0 and sounds off play nothing") {
    use_dummy_audio();
    AudioOptions mute;
    mute.volume = 0;
    Audio audio(mute);
    REQUIRE(audio.device_open());
    audio.cue(Cue::CardOk);
    audio.speak(repeated(kNotice, 3), SpeechLanguage::Chinese);
    CHECK(audio.last_spoken() == repeated(kNotice, 3));
    CHECK(wait_for([&] { return audio.idle(); }, 1s));

    AudioOptions no_sounds;
    no_sounds.sounds = false;
    audio.set_options(no_sounds);
    for (int i = 0; i < 20; ++i) audio.cue(Cue::Attention);
    CHECK(wait_for([&] { return audio.idle(); }, 1s));
}

TEST_CASE("audio: without an audio device the kiosk stays usable") {
    ::setenv("SDL_AUDIODRIVER", "no_such_driver", 1);
    {
        Audio audio(AudioOptions{});
        CHECK_FALSE(audio.device_open());
        audio.cue(Cue::CardOk);
        audio.speak(kGreeting, SpeechLanguage::Chinese);
        CHECK(audio.last_spoken() == kGreeting);
        audio.speak("Hello", SpeechLanguage::English);
        CHECK(audio.last_spoken() == "Hello");
        CHECK(wait_for([&] { return audio.idle(); }, 1s));
        audio.stop();
    }
    use_dummy_audio();
}

TEST_CASE("audio: destruction with work queued does not hang") {
    use_dummy_audio();
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        {
            Audio audio(AudioOptions{});
            audio.cue(Cue::CardOk);
            audio.speak(repeated(kNotice, 20), SpeechLanguage::Chinese);
            audio.cue(Cue::Tap);
            if (i % 2 == 1) std::this_thread::sleep_for(50ms);
        }
        CHECK(std::chrono::steady_clock::now() - start < 2s);
    }
}
