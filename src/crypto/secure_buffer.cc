#include "crypto/secure_buffer.h"

#include <openssl/crypto.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <new>

namespace coffer::crypto {

namespace {

size_t PageSize() {
  static const size_t kPageSize = [] {
    const long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? static_cast<size_t>(p) : size_t{4096};
  }();
  return kPageSize;
}

// Each buffer gets whole pages of its own. mlock does not nest: munlock of a
// page shared with another live buffer would unlock that buffer's key too.
size_t Capacity(size_t size) {
  const size_t page = PageSize();
  if (size > SIZE_MAX - page) {
    throw std::bad_alloc();  // Same as any std container asked for too much.
  }
  return (size + page - 1) / page * page;
}

uint8_t* Allocate(size_t size) {
  const size_t cap = Capacity(size);
  auto* p = static_cast<uint8_t*>(::operator new(cap, std::align_val_t{PageSize()}));
  std::memset(p, 0, cap);
  // Best effort: without CAP_IPC_LOCK the RLIMIT_MEMLOCK budget may run out,
  // and a server started with disable_mlock accepts that. Both failures only
  // weaken protection, so they are ignored.
  (void)mlock(p, cap);
  (void)madvise(p, cap, MADV_DONTDUMP);
  return p;
}

void Free(uint8_t* p, size_t size) {
  const size_t cap = Capacity(size);
  OPENSSL_cleanse(p, cap);
  (void)madvise(p, cap, MADV_DODUMP);
  (void)munlock(p, cap);
  ::operator delete(p, std::align_val_t{PageSize()});
}

}  // namespace

SecureBuffer::SecureBuffer(size_t size) {
  if (size == 0) {
    return;
  }
  data_ = Allocate(size);
  size_ = size;
}

SecureBuffer SecureBuffer::FromBytes(std::string_view bytes) {
  SecureBuffer b(bytes.size());
  if (!bytes.empty()) {
    std::memcpy(b.data_, bytes.data(), bytes.size());
  }
  return b;
}

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept : data_(other.data_), size_(other.size_) {
  // Ownership moves with the pointer; the moved-from buffer is left empty so
  // it can neither reveal nor double-free the bytes.
  other.data_ = nullptr;
  other.size_ = 0;
}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    Reset();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

SecureBuffer::~SecureBuffer() { Reset(); }

SecureBuffer SecureBuffer::Clone() const { return FromBytes(view()); }

void SecureBuffer::Reset() {
  if (data_ != nullptr) {
    Free(data_, size_);
  }
  data_ = nullptr;
  size_ = 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Lengths are public (a MAC or token hash has a fixed size); only the
  // contents must not leak through timing.
  if (a.size() != b.size()) {
    return false;
  }
  if (a.empty()) {
    return true;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void Wipe(void* bytes, size_t len) {
  if (bytes == nullptr || len == 0) {
    return;
  }
  OPENSSL_cleanse(bytes, len);
}

}  // namespace coffer::crypto
