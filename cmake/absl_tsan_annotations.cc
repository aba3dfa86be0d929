// ThreadSanitizer builds only (OSAN_SANITIZE=thread, see osan.cmake).
//
// Debian's abseil is not built with ThreadSanitizer, so TSan cannot see that
// absl::Mutex, absl::CondVar and absl::Notification order memory: every
// access to data guarded by an absl::Mutex (ours, and gRPC's, which locks
// absl::Mutex too) would be reported as a race. This library sits before
// libabsl_synchronization in the lookup order of every executable of a TSan
// build, takes over those functions, calls the real ones and tells TSan what
// they guarantee: an unlock happens before the next lock of the same mutex
// (__tsan_release / __tsan_acquire on the mutex's address), as an
// instrumented abseil would. Conditions are evaluated by whichever thread
// abseil chooses while it holds the mutex, so they acquire and release it too.
//
// The library itself is not instrumented; without the TSan runtime (never the
// case in a TSan build) the annotations are skipped.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

extern "C" {
void __tsan_acquire(void* addr) __attribute__((weak));
void __tsan_release(void* addr) __attribute__((weak));
}

namespace {

#define OSAN_STRINGIFY_(x) #x
#define OSAN_STRINGIFY(x) OSAN_STRINGIFY_(x)

// The real `absl::<rest>` (`rest` mangled as in the nested name after the
// inline namespace, e.g. "5Mutex4LockEv"), from the next library in the
// lookup order: libabsl_synchronization.
void* Real(bool const_member, const char* rest) {
  const char* ns = OSAN_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string name = std::string(const_member ? "_ZNK4absl" : "_ZN4absl") +
                           std::to_string(std::strlen(ns)) + ns + rest;
  void* function = dlsym(RTLD_NEXT, name.c_str());
  if (function == nullptr) {
    std::fprintf(stderr, "absl_tsan_annotations: %s not found\n", name.c_str());
    std::abort();
  }
  return function;
}

#define OSAN_REAL(type, rest) static const auto real = reinterpret_cast<type>(Real(false, rest))
#define OSAN_REAL_CONST(type, rest) \
  static const auto real = reinterpret_cast<type>(Real(true, rest))

void Acquire(const void* address) {
  if (&__tsan_acquire != nullptr) {
    __tsan_acquire(const_cast<void*>(address));
  }
}

void Release(const void* address) {
  if (&__tsan_release != nullptr) {
    __tsan_release(const_cast<void*>(address));
  }
}

// The caller's condition, run as a critical section of its mutex: abseil
// evaluates it in whichever thread holds the mutex at the time, which may then
// release it without passing through Unlock (a waiter going back to sleep).
struct Guarded {
  const absl::Mutex* mu;
  const absl::Condition* condition;

  static bool Eval(Guarded* self) {
    Acquire(self->mu);
    const bool met = self->condition->Eval();
    Release(self->mu);
    return met;
  }
};

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  OSAN_REAL(void (*)(Mutex*), "5Mutex4LockEv");
  real(this);
  Acquire(this);
}

void Mutex::ReaderLock() {
  OSAN_REAL(void (*)(Mutex*), "5Mutex10ReaderLockEv");
  real(this);
  Acquire(this);
}

bool Mutex::TryLock() {
  OSAN_REAL(bool (*)(Mutex*), "5Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) {
    Acquire(this);
  }
  return locked;
}

bool Mutex::ReaderTryLock() {
  OSAN_REAL(bool (*)(Mutex*), "5Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) {
    Acquire(this);
  }
  return locked;
}

void Mutex::Unlock() {
  OSAN_REAL(void (*)(Mutex*), "5Mutex6UnlockEv");
  Release(this);
  real(this);
}

void Mutex::ReaderUnlock() {
  OSAN_REAL(void (*)(Mutex*), "5Mutex12ReaderUnlockEv");
  Release(this);
  real(this);
}

void Mutex::LockWhen(const Condition& cond) {
  OSAN_REAL(void (*)(Mutex*, const Condition&), "5Mutex8LockWhenERKNS0_9ConditionE");
  Guarded guarded{this, &cond};
  real(this, Condition(&Guarded::Eval, &guarded));
  Acquire(this);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  OSAN_REAL(void (*)(Mutex*, const Condition&), "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Guarded guarded{this, &cond};
  real(this, Condition(&Guarded::Eval, &guarded));
  Acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  OSAN_REAL(bool (*)(Mutex*, const Condition&, Duration),
            "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  Guarded guarded{this, &cond};
  const bool met = real(this, Condition(&Guarded::Eval, &guarded), timeout);
  Acquire(this);  // held either way
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  OSAN_REAL(bool (*)(Mutex*, const Condition&, Time),
            "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  Guarded guarded{this, &cond};
  const bool met = real(this, Condition(&Guarded::Eval, &guarded), deadline);
  Acquire(this);
  return met;
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, Duration timeout) {
  OSAN_REAL(bool (*)(Mutex*, const Condition&, Duration),
            "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  Guarded guarded{this, &cond};
  const bool met = real(this, Condition(&Guarded::Eval, &guarded), timeout);
  Acquire(this);
  return met;
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  OSAN_REAL(bool (*)(Mutex*, const Condition&, Time),
            "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  Guarded guarded{this, &cond};
  const bool met = real(this, Condition(&Guarded::Eval, &guarded), deadline);
  Acquire(this);
  return met;
}

// Await releases the mutex while it waits and holds it again on return.
void Mutex::Await(const Condition& cond) {
  OSAN_REAL(void (*)(Mutex*, const Condition&), "5Mutex5AwaitERKNS0_9ConditionE");
  Guarded guarded{this, &cond};
  Release(this);
  real(this, Condition(&Guarded::Eval, &guarded));
  Acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  OSAN_REAL(bool (*)(Mutex*, const Condition&, Duration),
            "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  Guarded guarded{this, &cond};
  Release(this);
  const bool met = real(this, Condition(&Guarded::Eval, &guarded), timeout);
  Acquire(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  OSAN_REAL(bool (*)(Mutex*, const Condition&, Time),
            "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  Guarded guarded{this, &cond};
  Release(this);
  const bool met = real(this, Condition(&Guarded::Eval, &guarded), deadline);
  Acquire(this);
  return met;
}

// CondVar waits release `mu` and hold it again on return.
void CondVar::Wait(Mutex* mu) {
  OSAN_REAL(void (*)(CondVar*, Mutex*), "7CondVar4WaitEPNS0_5MutexE");
  Release(mu);
  real(this, mu);
  Acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  OSAN_REAL(bool (*)(CondVar*, Mutex*, Duration),
            "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  Release(mu);
  const bool timed_out = real(this, mu, timeout);
  Acquire(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  OSAN_REAL(bool (*)(CondVar*, Mutex*, Time), "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  Release(mu);
  const bool timed_out = real(this, mu, deadline);
  Acquire(mu);
  return timed_out;
}

// A notification happens before every wait that sees it.
void Notification::Notify() {
  OSAN_REAL(void (*)(Notification*), "12Notification6NotifyEv");
  Release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  OSAN_REAL_CONST(void (*)(const Notification*), "12Notification19WaitForNotificationEv");
  real(this);
  Acquire(this);
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  OSAN_REAL_CONST(bool (*)(const Notification*, Duration),
                  "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  const bool notified = real(this, timeout);
  if (notified) {
    Acquire(this);
  }
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  OSAN_REAL_CONST(bool (*)(const Notification*, Time),
                  "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) {
    Acquire(this);
  }
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
