// SecureBuffer: owns key material. Its bytes are mlock'ed (best effort, so a
// failure to lock is not an error) and wiped with OPENSSL_cleanse when the
// buffer is destroyed, moved from, or Reset(). Move-only, so key material is
// never copied by accident; Clone() copies explicitly. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace coffer::crypto {

class SecureBuffer {
 public:
  SecureBuffer() = default;
  // Allocates `size` zeroed bytes.
  explicit SecureBuffer(size_t size);
  // Copies `bytes` into a new buffer. The caller remains responsible for
  // wiping the source.
  static SecureBuffer FromBytes(std::string_view bytes);

  SecureBuffer(SecureBuffer&& other) noexcept;
  SecureBuffer& operator=(SecureBuffer&& other) noexcept;
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;
  ~SecureBuffer();

  SecureBuffer Clone() const;
  // Reset wipes and frees the bytes; the buffer becomes empty.
  void Reset();

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const uint8_t> span() const { return {data_, size_}; }
  std::span<uint8_t> span() { return {data_, size_}; }
  // view exposes the bytes as a string_view; it must not outlive the buffer.
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// ConstantTimeEquals compares in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Wipe overwrites `bytes` with zeros in a way the compiler cannot elide.
void Wipe(void* bytes, size_t len);

}  // namespace coffer::crypto
