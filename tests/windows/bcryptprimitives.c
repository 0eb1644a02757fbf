/* Test-only stand-in for Windows' bcryptprimitives.dll, which Debian 12's Wine 8.0 lacks and
 * Rust's std imports (ProcessPrng, its source of random bytes since Rust 1.78). It fills the
 * buffer from RtlGenRandom (advapi32's SystemFunction036), which Wine has. Cross-built with zig
 * by tests/windows.rs and placed beside the exe under test; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
