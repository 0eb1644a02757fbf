/* A fake agent-rooms listener for the Windows run under Wine (tests/windows.rs): named
 * agent-rooms.exe and started as `agent-rooms.exe watch`, it only waits until it is ended, so
 * the doctor's listener check finds it in the process table as it would find the real one. */
#include <windows.h>

int main(void) {
    Sleep(INFINITE);
    return 0;
}
