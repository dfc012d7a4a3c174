#pragma once
// Sounds and voice: short synthesized cues and spoken prompts (espeak-ng),
// played through SDL on one worker thread.
//
// Many users hear poorly and read slowly, so each card tap gets a chime and
// key screens are spoken. Sound is a convenience, never a dependency: without
// an audio device or without espeak-ng the kiosk works silently.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.hpp"

namespace kiosk::ui {

enum class Cue { CardOk, CardFailed, Tap, Attention };
enum class SpeechLanguage { Chinese, English };

struct AudioOptions {
    bool sounds = true;
    bool voice = true;
    int volume = 80;     // 0..100, linear amplitude
    int rate_wpm = 150;  // espeak-ng's default is 175; elders follow a slower voice better
};

// Mono S16 PCM of a cue, faded in and out. Length depends only on the cue and
// the rate; the peak is proportional to `volume` (clamped to 0..100).
[[nodiscard]] std::vector<std::int16_t> synth_cue(Cue cue, int sample_rate, int volume);
[[nodiscard]] const char* cue_name(Cue cue);

// espeak-ng in synchronous mode. espeak-ng is process-global and not
// thread-safe; every instance shares one lock, so instances may be used from
// different threads, one call at a time.
class SpeechSynth {
public:
    // Initialises espeak-ng once per process; a failure is remembered.
    [[nodiscard]] static Result<std::unique_ptr<SpeechSynth>> create(int rate_wpm);

    SpeechSynth(const SpeechSynth&) = delete;
    SpeechSynth& operator=(const SpeechSynth&) = delete;
    ~SpeechSynth() = default;

    [[nodiscard]] int sample_rate() const { return sample_rate_; }
    void set_rate(int rate_wpm);  // clamped to espeak-ng's 80..450
    [[nodiscard]] int rate() const { return rate_wpm_; }

    // Mono S16 PCM at sample_rate(). `cancel` is polled between chunks of
    // about 50 ms of audio; once it reads true the result is cut short (and
    // empty if it was already true). Empty on failure.
    [[nodiscard]] std::vector<std::int16_t> synthesize(std::string_view utf8, SpeechLanguage lang,
                                                       const std::atomic<bool>* cancel = nullptr);

private:
    SpeechSynth(int sample_rate, int rate_wpm);
    int sample_rate_;
    int rate_wpm_;
};

// Never blocks the caller and never throws. A cue plays at once (mixed over
// speech); speech starts after any cue still sounding, so a card chime comes
// before the greeting.
class Audio {
public:
    explicit Audio(AudioOptions options);
    ~Audio();  // cancels, stops and joins the worker; leaves other SDL subsystems alone
    Audio(const Audio&) = delete;
    Audio& operator=(const Audio&) = delete;

    void set_options(AudioOptions options);  // turning voice off silences current speech
    [[nodiscard]] AudioOptions options() const;

    void cue(Cue c);
    // Replaces whatever is being spoken or waiting to be spoken.
    void speak(std::string text, SpeechLanguage lang);
    void stop();  // silence now: drops cues and speech

    [[nodiscard]] std::string last_spoken() const;
    [[nodiscard]] bool device_open() const;
    // False until the worker has initialised espeak-ng, and after it failed.
    [[nodiscard]] bool voice_available() const;
    // True when nothing is queued, being synthesised or sounding (for tests
    // and for waiting before shutdown).
    [[nodiscard]] bool idle() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::ui
