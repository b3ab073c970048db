#pragma once
/**
 * An incremental UTF-8 validator (RFC 3629): text may arrive in pieces split anywhere,
 * even inside a character, and is judged byte by byte. Refuses overlong encodings,
 * the surrogates U+D800-U+DFFF, code points above U+10FFFF and bytes that can never
 * appear (C0, C1, F5-FF); a character cut off at the end is refused by complete().
 * One byte of state. Not thread-safe (one per message); the free function is.
 */
#include <cstdint>
#include <string_view>

namespace sp::websocket {

class utf8_validator {
public:
    /** Validates the next piece. False once the text seen so far cannot be valid
     *  UTF-8, whatever follows; stays false until reset(). */
    bool feed(std::string_view bytes);

    /** True if everything fed is valid UTF-8 and no character is cut off (the text
     *  may end here). */
    bool complete() const { return state_ == accept; }

    /** True once an invalid byte was seen. */
    bool failed() const { return state_ == reject; }

    /** Forgets everything fed (a new text starts). */
    void reset() { state_ = accept; }

    /** The states: at a character boundary, inside a character (which bytes may come
     *  next), or invalid for good. Public for the parser's packed storage. */
    enum state : std::uint8_t {
        accept = 0,
        tail1,     // one more 80-BF
        tail2,     // two more 80-BF
        tail3,     // three more 80-BF
        after_e0,  // A0-BF then one more (no overlong 3-byte form)
        after_ed,  // 80-9F then one more (no surrogates)
        after_f0,  // 90-BF then two more (no overlong 4-byte form)
        after_f4,  // 80-8F then two more (nothing above U+10FFFF)
        reject
    };

    state current() const { return state_; }
    void restore(state s) { state_ = s; }

private:
    state state_ = accept;
};

/** True if `text` as a whole is valid UTF-8. */
bool valid_utf8(std::string_view text);

} // namespace sp::websocket
