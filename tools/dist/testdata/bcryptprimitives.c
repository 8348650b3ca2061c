/* Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8 (Debian 12) lacks and which
 * the Go runtime (1.22+) loads from system32 for ProcessPrng. Every Windows 10 and later ships the
 * real one; the Wine tests put this into their throw-away prefix only. */
#include <windows.h>

#define RtlGenRandom SystemFunction036
BOOLEAN NTAPI RtlGenRandom(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
