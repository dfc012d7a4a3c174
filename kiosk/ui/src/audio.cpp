// Sounds and voice.
//
//   synth_cue      tones built from a few enveloped sine notes
//   SpeechSynth    espeak-ng behind one process-wide lock
//   Timeline       the unplayed tail of SDL's queue, as a speech and a cue track
//   Audio          caller-facing requests, handed to one worker thread
//
// Nothing here logs spoken text: prompts carry residents' names.
#include "kiosk/ui/audio.hpp"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <numbers>
#include <optional>
#include <thread>
#include <utility>

namespace kiosk::ui {

// ---------------------------------------------------------------------------
// Cues
// ---------------------------------------------------------------------------

namespace {

struct Note {
    double start_s;
    double length_s;
    double hz;
    bool bell;  // struck and decaying, rather than held
};

struct CueShape {
    double length_s;
    double peak;  // fraction of full scale at volume 100; headroom for a cue over speech
    double fade_in_s;
    double fade_out_s;
    std::vector<Note> notes;
};

// Mid-range pitches: age-related hearing loss takes the highs first.
CueShape shape_of(Cue cue) {
    switch (cue) {
        case Cue::CardOk:  // E5 then A5, rising: "done"
            return {0.25, 0.50, 0.003, 0.010, {{0.0, 0.12, 659.25, true}, {0.09, 0.16, 880.0, true}}};
        case Cue::CardFailed:  // A4 then E4, falling and held: "not done"
            return {0.35, 0.50, 0.004, 0.015, {{0.0, 0.17, 440.0, false}, {0.16, 0.19, 329.63, false}}};
        case Cue::Tap:
            return {0.03, 0.30, 0.001, 0.006, {{0.0, 0.03, 900.0, true}}};
        case Cue::Attention:  // D5, slow attack so it does not startle
            return {0.40, 0.45, 0.040, 0.120, {{0.0, 0.40, 587.33, false}}};
    }
    return {0.03, 0.0, 0.001, 0.001, {}};
}

double note_envelope(const Note& n, double t) {
    if (n.bell) {
        const double attack = std::min(0.004, n.length_s / 4);
        if (t < attack) return t / attack;
        return std::exp(-(t - attack) / (n.length_s / 3));
    }
    const double attack = std::min(0.02, n.length_s / 4);
    const double release = n.length_s * 0.3;
    if (t < attack) return t / attack;
    if (t > n.length_s - release) return std::max(0.0, (n.length_s - t) / release);
    return 1.0;
}

// Raised cosine from 0 to 1 over `n` samples: no step, so no click.
double ramp(std::size_t i, std::size_t n) {
    if (n == 0 || i >= n) return 1.0;
    return 0.5 - 0.5 * std::cos(std::numbers::pi * static_cast<double>(i) / static_cast<double>(n));
}

std::int16_t saturate(int v) {
    return static_cast<std::int16_t>(std::clamp(v, -32767, 32767));
}

}  // namespace

const char* cue_name(Cue cue) {
    switch (cue) {
        case Cue::CardOk: return "card_ok";
        case Cue::CardFailed: return "card_failed";
        case Cue::Tap: return "tap";
        case Cue::Attention: return "attention";
    }
    return "unknown";
}

std::vector<std::int16_t> synth_cue(Cue cue, int sample_rate, int volume) {
    if (sample_rate <= 0) return {};
    const CueShape shape = shape_of(cue);
    const double rate = sample_rate;
    const auto n = static_cast<std::size_t>(std::lround(shape.length_s * rate));

    std::vector<double> wave(n, 0.0);
    for (const Note& note : shape.notes) {
        const auto first = static_cast<std::size_t>(std::lround(note.start_s * rate));
        const auto count = static_cast<std::size_t>(std::lround(note.length_s * rate));
        for (std::size_t i = 0; i < count && first + i < n; ++i) {
            const double t = static_cast<double>(i) / rate;
            const double phase = 2 * std::numbers::pi * note.hz * t;
            // A quiet octave overtone makes a sine sound less like a test tone.
            wave[first + i] += note_envelope(note, t) * (std::sin(phase) + 0.2 * std::sin(2 * phase));
        }
    }

    const auto fade_in = static_cast<std::size_t>(std::lround(shape.fade_in_s * rate));
    const auto fade_out = static_cast<std::size_t>(std::lround(shape.fade_out_s * rate));
    double peak = 0;
    for (std::size_t i = 0; i < n; ++i) {
        wave[i] *= ramp(i, fade_in) * ramp(n - 1 - i, fade_out);
        peak = std::max(peak, std::abs(wave[i]));
    }

    // Normalised to a fixed peak, so loudness follows `volume` exactly and
    // never clips whatever the notes add up to.
    const double gain = peak > 0 ? shape.peak * std::clamp(volume, 0, 100) / 100.0 * 32767.0 / peak : 0.0;
    std::vector<std::int16_t> pcm(n);
    for (std::size_t i = 0; i < n; ++i) pcm[i] = saturate(static_cast<int>(std::lround(wave[i] * gain)));
    return pcm;
}

// ---------------------------------------------------------------------------
// SpeechSynth
// ---------------------------------------------------------------------------

namespace {

// espeak-ng hands over audio in chunks of this length; it bounds how late a
// cancellation takes effect.
constexpr int kChunkMs = 50;

// espeak-ng keeps all its state in globals; this mirrors it.
struct Espeak {
    std::mutex mutex;
    bool attempted = false;
    bool ok = false;
    Error error;
    int sample_rate = 0;
    // Switching voice reloads its dictionary (cmn_dict is 1.6 MB), so only
    // switch when the language changes.
    std::string voice;
    // Where the synthesis in progress writes; set only while `mutex` is held.
    std::vector<std::int16_t>* out = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    bool out_of_memory = false;
};

Espeak& espeak() {
    static Espeak e;
    return e;
}

std::string status_text(espeak_ng_STATUS status) {
    char buf[256] = {};
    espeak_ng_GetStatusCodeMessage(status, buf, sizeof buf);
    return buf;
}

// Called by espeak-ng on the synthesising thread, with espeak().mutex held.
// Returning 1 makes espeak-ng abandon the rest of the text.
int on_samples(short* wav, int count, espeak_EVENT* /*events*/) {
    Espeak& e = espeak();
    if (e.cancel != nullptr && e.cancel->load(std::memory_order_relaxed)) return 1;
    if (wav == nullptr || count <= 0 || e.out == nullptr) return 0;
    try {  // an exception must not unwind through espeak-ng's C frames
        e.out->insert(e.out->end(), wav, wav + count);
    } catch (...) {
        e.out_of_memory = true;
        return 1;
    }
    return 0;
}

int clamp_rate(int wpm) { return std::clamp(wpm, espeakRATE_MINIMUM, espeakRATE_MAXIMUM); }

}  // namespace

SpeechSynth::SpeechSynth(int sample_rate, int rate_wpm) : sample_rate_(sample_rate), rate_wpm_(clamp_rate(rate_wpm)) {}

Result<std::unique_ptr<SpeechSynth>> SpeechSynth::create(int rate_wpm) {
    try {
        Espeak& e = espeak();
        const std::lock_guard lock(e.mutex);
        if (!e.attempted) {
            // espeak-ng cannot be cleanly initialised a second time, so it is
            // initialised once and never terminated.
            e.attempted = true;
            espeak_ng_InitializePath(nullptr);
            espeak_ng_ERROR_CONTEXT context = nullptr;
            espeak_ng_STATUS status = espeak_ng_Initialize(&context);
            if (context != nullptr) espeak_ng_ClearErrorContext(&context);
            if (status == ENS_OK) status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, kChunkMs, nullptr);
            if (status != ENS_OK) {
                e.error = Error{"audio.espeak_init",
                                "The speech synthesizer (espeak-ng) could not start: " + status_text(status) +
                                    ". Check that espeak-ng-data is installed; prompts will not be spoken."};
            } else {
                espeak_SetSynthCallback(on_samples);
                e.sample_rate = espeak_ng_GetSampleRate();
                e.ok = e.sample_rate > 0;
                if (!e.ok) e.error = Error{"audio.espeak_init", "The speech synthesizer reported no sample rate."};
            }
        }
        if (!e.ok) return e.error;
        return std::unique_ptr<SpeechSynth>(new SpeechSynth(e.sample_rate, rate_wpm));
    } catch (const std::exception& ex) {
        return Error{"audio.espeak_init", std::string("The speech synthesizer could not start: ") + ex.what()};
    }
}

void SpeechSynth::set_rate(int rate_wpm) { rate_wpm_ = clamp_rate(rate_wpm); }

std::vector<std::int16_t> SpeechSynth::synthesize(std::string_view utf8, SpeechLanguage lang,
                                                  const std::atomic<bool>* cancel) {
    std::vector<std::int16_t> out;
    if (cancel != nullptr && cancel->load()) return out;
    try {
        const std::string text(utf8);  // espeak-ng wants a terminating NUL
        Espeak& e = espeak();
        const std::lock_guard lock(e.mutex);
        if (!e.ok) return out;

        const char* voice = lang == SpeechLanguage::Chinese ? "cmn" : "en";
        if (e.voice != voice) {
            const espeak_ng_STATUS status = espeak_ng_SetVoiceByName(voice);
            if (status != ENS_OK) {
                e.voice.clear();
                spdlog::warn("audio: espeak-ng voice '{}' is unavailable: {}", voice, status_text(status));
                return out;
            }
            e.voice = voice;
        }
        espeak_ng_SetParameter(espeakRATE, rate_wpm_, 0);

        out.reserve(static_cast<std::size_t>(sample_rate_) * 2);
        e.out = &out;
        e.cancel = cancel;
        e.out_of_memory = false;
        const espeak_ng_STATUS status = espeak_ng_Synthesize(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                                             espeakCHARS_UTF8, nullptr, nullptr);
        e.out = nullptr;
        e.cancel = nullptr;
        if (e.out_of_memory) return {};
        if (status != ENS_OK && status != ENS_SPEECH_STOPPED) {
            spdlog::warn("audio: espeak-ng failed on {} bytes of text: {}", text.size(), status_text(status));
            return {};
        }
    } catch (...) {
        return {};
    }
    return out;
}

// ---------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------

namespace {

// SDL's queue cannot be edited, only cleared and refilled. So we keep what we
// queued, as separate speech and cue tracks; each change drops the part SDL
// has already played, edits the rest and requeues it with the device locked.
// Playback stays sample-continuous, a cue can sound over speech at once, and
// speech can be replaced without cutting a chime.
class Timeline {
public:
    explicit Timeline(SDL_AudioDeviceID device) : device_(device) {}

    void mix_cue(const std::vector<std::int16_t>& pcm) {
        edit([&] {
            if (cues_.size() < pcm.size()) cues_.resize(pcm.size(), 0);
            for (std::size_t i = 0; i < pcm.size(); ++i) cues_[i] = saturate(cues_[i] + pcm[i]);
        });
    }

    // Ends the current speech within `length` samples, faded so it does not click.
    void fade_out_speech(std::size_t length) {
        edit([&] {
            if (speech_.size() > length) speech_.resize(length);
            const std::size_t n = speech_.size();
            for (std::size_t i = 0; i < n; ++i)
                speech_[i] = static_cast<std::int16_t>(std::lround(speech_[i] * ramp(n - 1 - i, n)));
        });
    }

    // Starts after any cue still sounding: the chime first, then the greeting.
    void append_speech(const std::vector<std::int16_t>& pcm) {
        edit([&] {
            speech_.resize(std::max(speech_.size(), cues_.size()), 0);
            speech_.insert(speech_.end(), pcm.begin(), pcm.end());
        });
    }

    void clear() {
        SDL_LockAudioDevice(device_);
        speech_ = {};
        cues_ = {};
        SDL_ClearQueuedAudio(device_);
        SDL_UnlockAudioDevice(device_);
    }

private:
    template <typename F>
    void edit(F&& change) {
        SDL_LockAudioDevice(device_);
        drop_played();
        change();
        requeue();
        SDL_UnlockAudioDevice(device_);
    }

    void drop_played() {
        const std::size_t queued = SDL_GetQueuedAudioSize(device_) / sizeof(std::int16_t);
        const std::size_t length = std::max(speech_.size(), cues_.size());
        const std::size_t played = length > queued ? length - queued : 0;
        if (played >= length) {
            speech_ = {};  // also frees the last long prompt
            cues_ = {};
            return;
        }
        const auto drop = [played](std::vector<std::int16_t>& track) {
            track.erase(track.begin(), track.begin() + static_cast<std::ptrdiff_t>(std::min(played, track.size())));
        };
        drop(speech_);
        drop(cues_);
    }

    void requeue() {
        const std::size_t length = std::max(speech_.size(), cues_.size());
        mix_.assign(length, 0);
        for (std::size_t i = 0; i < speech_.size(); ++i) mix_[i] = speech_[i];
        for (std::size_t i = 0; i < cues_.size(); ++i) mix_[i] = saturate(mix_[i] + cues_[i]);
        SDL_ClearQueuedAudio(device_);
        if (length == 0) return;
        if (SDL_QueueAudio(device_, mix_.data(), static_cast<Uint32>(length * sizeof(std::int16_t))) != 0) {
            spdlog::warn("audio: could not queue {} samples: {}", length, SDL_GetError());
            speech_ = {};
            cues_ = {};
        }
    }

    SDL_AudioDeviceID device_;
    std::vector<std::int16_t> speech_, cues_, mix_;
};

// espeak-ng's built-in voices all run at this rate, so the device is opened
// at it and speech needs no resampling; cues are made at whatever it is.
constexpr int kDeviceRate = 22050;
constexpr int kDeviceBufferSamples = 512;  // ~23 ms: a tap's click should follow the finger
constexpr std::size_t kMaxPendingCues = 8;
constexpr double kSpeechFadeS = 0.015;

struct SpeechRequest {
    std::string text;
    SpeechLanguage lang;
};

struct Batch {
    AudioOptions options;
    bool stop = false;
    bool fade_speech = false;
    std::vector<Cue> cues;
    std::optional<SpeechRequest> speech;
};

}  // namespace

// ---------------------------------------------------------------------------
// Audio
// ---------------------------------------------------------------------------

struct Audio::Impl {
    explicit Impl(AudioOptions o) : options(o) {}

    // Set in the constructor, read-only afterwards.
    SDL_AudioDeviceID device = 0;
    bool sdl_audio = false;  // we hold a reference on SDL's audio subsystem
    int sample_rate = kDeviceRate;

    mutable std::mutex mutex;
    std::condition_variable wake;
    AudioOptions options;
    bool stop_requested = false;
    bool fade_requested = false;
    std::vector<Cue> cues;
    std::optional<SpeechRequest> speech;  // the latest request replaces any older one
    bool busy = false;
    bool quit = false;
    std::string last_spoken;
    std::atomic<bool> cancel{false};  // aborts the synthesis in progress
    std::atomic<bool> voice_ready{false};

    // Worker-only.
    std::unique_ptr<SpeechSynth> synth;
    bool synth_attempted = false;
    std::optional<Timeline> timeline;

    std::thread worker;  // last: starts once everything above exists

    bool has_work() const { return stop_requested || fade_requested || !cues.empty() || speech.has_value(); }

    // Stops whatever is being synthesised and fades out what is playing.
    void interrupt_speech() {
        cancel.store(true);
        fade_requested = true;
    }

    void open_device() {
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
            spdlog::warn("audio: no audio driver ({}); the kiosk stays silent", SDL_GetError());
            return;
        }
        sdl_audio = true;
        SDL_AudioSpec want{};
        want.freq = kDeviceRate;
        want.format = AUDIO_S16SYS;
        want.channels = 1;
        want.samples = kDeviceBufferSamples;
        SDL_AudioSpec have{};
        // No allowed changes: SDL converts to whatever the hardware wants.
        device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
        if (device == 0) {
            spdlog::warn("audio: no audio device ({}); the kiosk stays silent", SDL_GetError());
            return;
        }
        timeline.emplace(device);
        SDL_PauseAudioDevice(device, 0);
        spdlog::info("audio: device open on driver '{}' at {} Hz", SDL_GetCurrentAudioDriver(), sample_rate);
    }

    bool ensure_synth(int rate_wpm) {
        if (!synth_attempted) {
            synth_attempted = true;
            auto created = SpeechSynth::create(rate_wpm);
            if (!created) {
                spdlog::warn("audio: {} ({})", created.error().message, created.error().code);
            } else if (created.value()->sample_rate() != sample_rate) {
                spdlog::warn("audio: espeak-ng runs at {} Hz, not {} Hz; prompts will not be spoken",
                             created.value()->sample_rate(), sample_rate);
            } else {
                synth = std::move(created.value());
                voice_ready.store(true);
            }
        }
        return synth != nullptr;
    }

    void run() {
        std::unique_lock lock(mutex);
        if (options.voice && device != 0) {  // so the first prompt does not wait for start-up
            const int rate = options.rate_wpm;
            lock.unlock();
            ensure_synth(rate);
            lock.lock();
        }
        for (;;) {
            wake.wait(lock, [this] { return quit || has_work(); });
            if (quit) return;
            Batch batch{options, std::exchange(stop_requested, false), std::exchange(fade_requested, false),
                        std::exchange(cues, {}), std::exchange(speech, std::nullopt)};
            // Reset under the lock: a speak() from now on cancels this batch's speech.
            if (batch.speech) cancel.store(false);
            busy = true;
            lock.unlock();
            try {
                play(batch);
            } catch (const std::exception& ex) {
                spdlog::warn("audio: dropped a sound: {}", ex.what());
            } catch (...) {
                spdlog::warn("audio: dropped a sound");
            }
            lock.lock();
            busy = false;
        }
    }

    void play(Batch& batch) {
        if (!timeline) return;  // no device: requests are recorded, samples dropped
        const AudioOptions& o = batch.options;
        if (batch.stop) timeline->clear();
        if (batch.fade_speech || batch.speech)
            timeline->fade_out_speech(static_cast<std::size_t>(kSpeechFadeS * sample_rate));
        if (o.sounds && o.volume > 0)
            for (Cue c : batch.cues) timeline->mix_cue(synth_cue(c, sample_rate, o.volume));
        if (!batch.speech || !o.voice || o.volume <= 0 || !ensure_synth(o.rate_wpm)) return;

        synth->set_rate(o.rate_wpm);
        std::vector<std::int16_t> pcm = synth->synthesize(batch.speech->text, batch.speech->lang, &cancel);
        if (cancel.load() || pcm.empty()) return;
        const double gain = std::clamp(o.volume, 0, 100) / 100.0;
        for (auto& s : pcm) s = static_cast<std::int16_t>(std::lround(s * gain));
        spdlog::debug("audio: speaking {} bytes of text as {:.1f} s", batch.speech->text.size(),
                      static_cast<double>(pcm.size()) / sample_rate);
        timeline->append_speech(pcm);
    }
};

Audio::Audio(AudioOptions options) {
    try {
        impl_ = std::make_unique<Impl>(options);
        impl_->open_device();
        impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
    } catch (const std::exception& ex) {
        // Without a worker requests are still recorded; nothing is played.
        spdlog::warn("audio: could not start ({}); the kiosk stays silent", ex.what());
    }
}

Audio::~Audio() {
    if (!impl_) return;
    {
        const std::lock_guard lock(impl_->mutex);
        impl_->quit = true;
        impl_->cancel.store(true);
    }
    impl_->wake.notify_all();
    if (impl_->worker.joinable()) impl_->worker.join();
    if (impl_->device != 0) SDL_CloseAudioDevice(impl_->device);
    if (impl_->sdl_audio) SDL_QuitSubSystem(SDL_INIT_AUDIO);  // never SDL_Quit: video belongs to the app
}

void Audio::set_options(AudioOptions options) {
    if (!impl_) return;
    try {
        const std::lock_guard lock(impl_->mutex);
        if (!options.voice || options.volume <= 0) impl_->interrupt_speech();
        impl_->options = options;
    } catch (...) {
        return;
    }
    impl_->wake.notify_one();
}

AudioOptions Audio::options() const {
    if (!impl_) return {};
    try {
        const std::lock_guard lock(impl_->mutex);
        return impl_->options;
    } catch (...) {
        return {};
    }
}

void Audio::cue(Cue c) {
    if (!impl_) return;
    try {
        const std::lock_guard lock(impl_->mutex);
        if (!impl_->options.sounds || impl_->cues.size() >= kMaxPendingCues) return;
        impl_->cues.push_back(c);
    } catch (...) {
        return;
    }
    impl_->wake.notify_one();
}

void Audio::speak(std::string text, SpeechLanguage lang) {
    if (!impl_) return;
    try {
        const std::lock_guard lock(impl_->mutex);
        impl_->last_spoken = text;
        impl_->interrupt_speech();
        if (impl_->options.voice) impl_->speech = SpeechRequest{std::move(text), lang};
        else impl_->speech.reset();
    } catch (...) {
        return;
    }
    impl_->wake.notify_one();
}

void Audio::stop() {
    if (!impl_) return;
    try {
        const std::lock_guard lock(impl_->mutex);
        impl_->cancel.store(true);
        impl_->cues.clear();
        impl_->speech.reset();
        impl_->stop_requested = true;
    } catch (...) {
        return;
    }
    impl_->wake.notify_one();
}

std::string Audio::last_spoken() const {
    if (!impl_) return {};
    try {
        const std::lock_guard lock(impl_->mutex);
        return impl_->last_spoken;
    } catch (...) {
        return {};
    }
}

bool Audio::device_open() const { return impl_ && impl_->device != 0; }

bool Audio::voice_available() const { return impl_ && impl_->voice_ready.load(); }

bool Audio::idle() const {
    if (!impl_) return true;
    try {
        const std::lock_guard lock(impl_->mutex);
        if (impl_->busy || impl_->has_work()) return false;
    } catch (...) {
        return false;
    }
    return impl_->device == 0 || SDL_GetQueuedAudioSize(impl_->device) == 0;
}

}  // namespace kiosk::ui
