using System.Runtime.InteropServices;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The operating system's ID of the calling thread, which is what the runtime's stack samples name threads
/// by (.NET has no public API for it; <c>AppDomain.GetCurrentThreadId</c> returns the managed ID on .NET).
/// </summary>
internal static class OsThreadId
{
    public static int Current()
    {
        try
        {
            if (OperatingSystem.IsLinux())
                return LinuxGetTid();
            if (OperatingSystem.IsWindows())
                return (int)WindowsGetCurrentThreadId();
            if (OperatingSystem.IsMacOS() && MacThreadId(IntPtr.Zero, out ulong id) == 0)
                return unchecked((int)id);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Reported as unknown: such a thread is matched to no snapshot entry, which is only cautious.
        }
        return -1;
    }

    private static int LinuxGetTid()
    {
        try
        {
            return GetTid();
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.30 has no gettid wrapper: the system call itself (x64 186, arm64 178).
            return (int)Syscall(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 178 : 186);
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long Syscall(long number);

    [DllImport("kernel32", EntryPoint = "GetCurrentThreadId")]
    private static extern uint WindowsGetCurrentThreadId();

    [DllImport("libSystem.dylib", EntryPoint = "pthread_threadid_np")]
    private static extern int MacThreadId(IntPtr thread, out ulong id);
}
