using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace PatchGen.Runtime.Control;

/// <summary>The one Win32 call the control channel needs: which process serves a named pipe.</summary>
[SupportedOSPlatform("windows")]
internal static class WindowsNative
{
    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool GetNamedPipeServerProcessId(Microsoft.Win32.SafeHandles.SafePipeHandle pipe, out uint serverProcessId);

    /// <summary>The process at the server end of <paramref name="pipe"/>, or null when Windows does not say.</summary>
    public static int? ServerProcessId(NamedPipeClientStream pipe)
        => GetNamedPipeServerProcessId(pipe.SafePipeHandle, out uint id) ? (int)id : null;
}
